package io.switchboard.echo;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.echo.EchoBatch;
import io.switchboard.common.stats.RateMeter;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;

/**
 * EchoBatchHandler answers a batch of echo requests with the batch of their replies: each text
 * {@code T} with {@code "Server received: T"}, each binary message with the same bytes. It works on
 * the encoded bytes, so text is never decoded.
 */
public final class EchoBatchHandler implements Handler<Message<Object>> {

  /** What a text reply starts with: text {@code T} is answered {@code "Server received: T"}. */
  public static final String TEXT_PREFIX = "Server received: ";
  private static final byte[] PREFIX = TEXT_PREFIX.getBytes(StandardCharsets.UTF_8);

  private final RateMeter messages;

  public EchoBatchHandler(RateMeter messages) {
    this.messages = messages;
  }

  @Override
  public void handle(Message<Object> message) {
    if (!(message.body() instanceof Buffer batch)) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "an echo batch is a Buffer body");
      return;
    }
    EchoBatch replies = new EchoBatch(batch.length() + 64 * PREFIX.length);
    try {
      EchoBatch.read(batch, (kind, bytes, start, length) -> {
        if (kind == EchoBatch.TEXT) {
          replies.add(kind, PREFIX, bytes, start, length);
        } else {
          replies.add(kind, bytes, start, length);
        }
      });
    } catch (IllegalArgumentException e) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), e.getMessage());
      return;
    }
    messages.mark(replies.count());
    message.reply(replies.toBuffer());
  }
}
