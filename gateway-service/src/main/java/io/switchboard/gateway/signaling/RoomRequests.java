package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * RoomRequests runs the joins and leaves of one signaling connection one at a time, for its
 * {@link RoomMembership}: each starts once the one before it completed. A client that queues more
 * than {@code SIGNALING_MAX_QUEUED_REQUESTS} behind the one in flight is refused the next with
 * {@link ErrorCode#RATE_LIMITED}; nothing runs once the connection is closed.
 */
final class RoomRequests {

  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(RoomRequests.class));

  private final String peerId;
  private final int max;
  private final SessionSocket out;
  private final ArrayDeque<Supplier<Future<?>>> queue = new ArrayDeque<>();
  private boolean busy;

  /** The requests of connection {@code peerId}, up to {@code max} queued, refused on {@code out}. */
  RoomRequests(String peerId, int max, SessionSocket out) {
    this.peerId = peerId;
    this.max = max;
    this.out = out;
  }

  /** A request of the client, refused when {@code max} are queued already. */
  void request(Supplier<Future<?>> op) {
    if (queue.size() >= max) {
      LIMITS.hit("signaling-queued-requests", LogFields.of(LogFields.PEER, peerId), "Refusing a join or leave of signaling connection {}: {}"
          + " already queued (SIGNALING_MAX_QUEUED_REQUESTS)", peerId, max);
      out.error(ErrorCode.RATE_LIMITED, "Too many joins and leaves in flight");
      return;
    }
    add(op);
  }

  /** A request of the server, after those queued: not counted against the limit. */
  void add(Supplier<Future<?>> op) {
    queue.add(op);
    run();
  }

  /** Drops what is queued; the request in flight completes. */
  void clear() {
    queue.clear();
  }

  private void run() {
    if (busy || queue.isEmpty() || out.closed()) {
      return;
    }
    busy = true;
    queue.poll().get().onComplete(done -> {
      busy = false;
      run();
    });
  }
}
