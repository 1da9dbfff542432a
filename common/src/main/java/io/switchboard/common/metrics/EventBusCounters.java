package io.switchboard.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;
import java.util.EnumMap;
import java.util.Map;

/**
 * EventBusCounters counts the event bus's messages under the names and labels of Vert.x's own
 * event-bus metrics ({@code vertx_eventbus_published_total}, {@code _sent_total},
 * {@code _received_total}, {@code _delivered_total}, {@code _discarded_total} by {@code side},
 * {@code vertx_eventbus_reply_failures_total} by {@code failure}, and the bytes of remote messages),
 * with every meter registered once. Vert.x's looks each meter up in the registry for every message,
 * building its tags again each time, which cost the gateway several per cent of its echo throughput.
 * Addresses are no label, as in Vert.x's with the labels configured here; internal addresses
 * ({@code __vertx.*}) are not counted. Any thread may count.
 */
final class EventBusCounters implements EventBusMetrics<Object> {

  private static final String PREFIX = "vertx.eventbus.";

  private final Counter[] published;
  private final Counter[] sent;
  private final Counter[] received;
  private final Counter[] delivered;
  private final Counter[] discarded;
  private final Map<ReplyFailure, Counter> replyFailures = new EnumMap<>(ReplyFailure.class);
  private final DistributionSummary bytesRead;
  private final DistributionSummary bytesWritten;

  EventBusCounters(MeterRegistry registry) {
    published = bySide(registry, "published", "Number of messages published (publish / subscribe)");
    sent = bySide(registry, "sent", "Number of messages sent (point-to-point)");
    received = bySide(registry, "received", "Number of messages received");
    delivered = bySide(registry, "delivered", "Number of messages delivered to handlers");
    discarded = bySide(registry, "discarded", "Number of discarded messages");
    for (ReplyFailure failure : ReplyFailure.values()) {
      replyFailures.put(failure, Counter.builder(PREFIX + "reply.failures").description("Number of message reply failures")
          .tag("failure", failure.name()).register(registry));
    }
    bytesRead = DistributionSummary.builder(PREFIX + "bytes.read").description("Number of bytes received while reading messages from event bus cluster peers").register(registry);
    bytesWritten = DistributionSummary.builder(PREFIX + "bytes.written").description("Number of bytes sent while sending messages to event bus cluster peers").register(registry);
  }

  /** One counter per side: [0] local, [1] remote. */
  private static Counter[] bySide(MeterRegistry registry, String name, String description) {
    return new Counter[] {
        Counter.builder(PREFIX + name).description(description).tag("side", "local").register(registry),
        Counter.builder(PREFIX + name).description(description).tag("side", "remote").register(registry)};
  }

  private static int side(boolean local) {
    return local ? 0 : 1;
  }

  private static boolean internal(String address) {
    return address != null && address.startsWith("__vertx.");
  }

  @Override
  public Object handlerRegistered(String address) {
    return internal(address) ? null : address;
  }

  @Override
  public void discardMessage(Object handler, boolean local, Message<?> msg) {
    if (handler != null) {
      discarded[side(local)].increment();
    }
  }

  @Override
  public void messageDelivered(Object handler, boolean local) {
    if (handler != null) {
      delivered[side(local)].increment();
    }
  }

  @Override
  public void messageSent(String address, boolean publish, boolean local, boolean remote) {
    if (internal(address)) {
      return;
    }
    Counter[] counters = publish ? published : sent;
    if (local) {
      counters[0].increment();
    }
    if (remote) {
      counters[1].increment();
    }
  }

  @Override
  public void messageReceived(String address, boolean publish, boolean local, int handlers) {
    if (!internal(address)) {
      received[side(local)].increment();
    }
  }

  @Override
  public void messageWritten(String address, int numberOfBytes) {
    if (!internal(address)) {
      bytesWritten.record(numberOfBytes);
    }
  }

  @Override
  public void messageRead(String address, int numberOfBytes) {
    if (!internal(address)) {
      bytesRead.record(numberOfBytes);
    }
  }

  @Override
  public void replyFailure(String address, ReplyFailure failure) {
    if (!internal(address)) {
      replyFailures.get(failure).increment();
    }
  }
}
