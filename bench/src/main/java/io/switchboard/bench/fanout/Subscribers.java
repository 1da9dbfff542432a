package io.switchboard.bench.fanout;

import io.switchboard.bench.Latency;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Subscribers are the open streams (or WebSockets) of a fan-out run and what they received: every stream's
 * sequence numbers, and for the events of the publisher's measured window the deliveries, their
 * publish-to-receive latency and each event's last delivery.
 */
final class Subscribers {

  private final EventPublisher publisher;
  private final Latency latency = new Latency();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder streamErrors = new LongAdder();
  private final List<Subscriber> subscribers = new ArrayList<>();
  /** By sequence number, the latest publish-to-receive latency of a measured event, in nanoseconds. */
  private final LastDeliveries lastDeliveries = new LastDeliveries();

  Subscribers(EventPublisher publisher) {
    this.publisher = publisher;
  }

  /** Opens a stream of {@code url}; it counts as a subscriber once the server has answered. */
  Future<?> subscribe(NetClient client, String url) {
    Subscriber s = new Subscriber();
    return RawSseStream.open(client, url, s.parser, streamErrors::increment)
        .onSuccess(stream -> {
          synchronized (subscribers) {
            subscribers.add(s);
          }
        });
  }

  /**
   * Subscribes to {@code topic} over a WebSocket to {@code url}, in {@code protocol}; it counts as
   * a subscriber once the server has confirmed the subscription.
   */
  Future<?> subscribe(NetClient client, String url, WebSocketSubscription.Protocol protocol, String topic) {
    Subscriber s = new Subscriber();
    return WebSocketSubscription.open(client, url, protocol, topic, s::onEvent, streamErrors::increment)
        .onSuccess(v -> {
          synchronized (subscribers) {
            subscribers.add(s);
          }
        });
  }

  /** Forgets the deliveries recorded so far, those of the warm-up. */
  void resetMeasures() {
    latency.reset();
    delivered.reset();
  }

  int size() {
    synchronized (subscribers) {
      return subscribers.size();
    }
  }

  /** Deliveries of measured events since the warm-up. */
  long delivered() {
    return delivered.sum();
  }

  /** Streams that ended or failed after they had opened. */
  long streamErrors() {
    return streamErrors.sum();
  }

  /** Publish-to-receive latency of the measured deliveries. */
  Histogram latency() {
    return latency.snapshot();
  }

  /** The measured events' last-delivery latencies in milliseconds, ascending. */
  long[] lastDeliveriesMillis() {
    return lastDeliveries.sortedMillis();
  }

  /** Accepted events of the measured window that subscribers have not received, summed over them. */
  long missing() {
    int first = publisher.firstMeasured();
    BitSet expected = publisher.acceptedFrom(first);
    long missing = 0;
    synchronized (subscribers) {
      for (Subscriber s : subscribers) {
        missing += s.missingOf(expected, first);
      }
    }
    return missing;
  }

  /** How many subscribers received every accepted event of the measured window. */
  long withEveryEvent() {
    synchronized (subscribers) {
      return subscribers.stream().filter(s -> s.missing() == 0).count();
    }
  }

  /** One stream: the sequence numbers it received. */
  private final class Subscriber {
    private final BitSet seen = new BitSet();
    private final ProbeParser parser = new ProbeParser(this::onEvent);

    private void onEvent(long seq, long t) {
      long now = System.nanoTime();
      if (seq < 0) {
        return;
      }
      synchronized (this) {
        seen.set((int) seq);
      }
      if (publisher.isMeasured(seq)) {
        latency.recordNanos(now - t);
        lastDeliveries.record(seq, now - t);
        delivered.increment();
      }
    }

    synchronized long missing() {
      int first = publisher.firstMeasured();
      return missingOf(publisher.acceptedFrom(first), first);
    }

    synchronized long missingOf(BitSet expected, int offset) {
      BitSet gap = (BitSet) expected.clone();
      gap.andNot(seen.get(offset, offset + expected.length()));
      return gap.cardinality();
    }
  }
}
