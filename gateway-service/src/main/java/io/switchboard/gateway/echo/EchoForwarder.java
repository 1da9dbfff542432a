package io.switchboard.gateway.echo;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.echo.EchoBatch;
import io.switchboard.gateway.node.EchoConfig;
import io.switchboard.gateway.transport.Fanout;
import io.switchboard.gateway.transport.TurnBatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * EchoForwarder sends the echo messages of every connection on this gateway node to echo-service
 * in batches: the messages that arrive during one event-loop turn travel in one request, whose
 * reply carries their answers in order. An event-bus round trip per batch rather than per message
 * is what lets one gateway forward many more messages per second, between JVMs especially.
 *
 * <p>A batch is sent at the end of the turn, or at once when it reaches
 * {@code ECHO_BATCH_MAX_MESSAGES} or {@code ECHO_BATCH_MAX_BYTES}. A failed or timed-out batch
 * fails each of its messages the same way. Each event loop of the gateway has its own; used from
 * that loop only.
 */
public final class EchoForwarder {

  private final EventBus bus;
  private final DeliveryOptions delivery;
  private final int maxMessages;
  private final int maxBytes;
  private final TurnBatch<Outgoing> turn;

  public EchoForwarder(Context context, EventBus bus, EchoConfig config) {
    this.bus = bus;
    this.delivery = new DeliveryOptions().setSendTimeout(config.timeout().toMillis());
    this.maxMessages = config.batchMaxMessages();
    this.maxBytes = config.batchMaxBytes();
    // Flushed after the frames read in this turn, from every connection, have been added.
    this.turn = new TurnBatch<>(context, Outgoing::new, this::send);
  }

  /** Forwards a text ({@link String}) or binary ({@link Buffer}) message; completes with its answer. */
  public Future<Object> forward(Object message) {
    Outgoing outgoing = turn.batch();
    if (message instanceof Buffer bytes) {
      outgoing.messages.addBinary(bytes);
    } else {
      outgoing.messages.addText(String.valueOf(message));
    }
    Promise<Object> answer = Promise.promise();
    outgoing.answers.add(answer);
    if (outgoing.messages.count() >= maxMessages || outgoing.messages.byteLength() >= maxBytes) {
      turn.flushNow();
    } else {
      turn.flushAtEndOfTurn();
    }
    return answer.future();
  }

  private void send(Outgoing outgoing) {
    List<Promise<Object>> answers = outgoing.answers;
    bus.request(Addresses.ECHO_BATCH, outgoing.messages.toBuffer(), delivery)
        .onComplete(reply -> {
          if (reply.failed()) {
            // An answer's listener writes to its socket; one that throws must not keep the rest waiting.
            Fanout.each(answers, answer -> answer.fail(reply.cause()), "Failing an echo batch");
          } else {
            complete(answers, reply.result());
          }
        });
  }

  private static void complete(List<Promise<Object>> answers, Message<Object> reply) {
    List<Object> replies = List.of();
    if (reply.body() instanceof Buffer bytes) {
      try {
        replies = EchoBatch.decode(bytes);
      } catch (IllegalArgumentException e) {
        // Reported below as a count mismatch.
      }
    }
    if (replies.size() != answers.size()) {
      ReplyException broken = new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
          ErrorCode.INTERNAL.busCode(), "echo-service answered " + replies.size() + " of "
          + answers.size() + " messages");
      Fanout.each(answers, answer -> answer.fail(broken), "Failing an echo batch");
      return;
    }
    Iterator<Object> next = replies.iterator();
    Fanout.each(answers, answer -> answer.complete(next.next()), "Answering an echo batch");
  }

  /** One batch on its way: the messages, and the answers they wait for in the same order. */
  private static final class Outgoing {

    private final EchoBatch messages = new EchoBatch();
    private final List<Promise<Object>> answers = new ArrayList<>();
  }
}
