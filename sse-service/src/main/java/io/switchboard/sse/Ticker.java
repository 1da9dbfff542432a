package io.switchboard.sse;

import io.switchboard.common.Timestamps;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.sse.Topics;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticker publishes one tick per period to the {@value Topics#TICKS} topic, from exactly one
 * sse-service instance in the cluster.
 *
 * <p>The ticking instance holds a cluster-wide lock for its whole life; the others try to take it
 * every {@code SSE_TICKER_RETRY_MS}. Hazelcast releases the locks of a member it drops, so when
 * the ticking instance dies another one takes over once the member is dropped (about 5 to 7 s with
 * the default failure detection). Ticks are ordinary topic events: their ids keep increasing
 * across a takeover because they come from the topic's history, not from the instance.
 *
 * <p>A member that merges into another cluster after a split (it was frozen, or cut off) loses
 * the locks it held there: Hazelcast keeps the other side's. Its ticker then stops and competes
 * for the lock again ({@link #abandon}), so that one instance ticks, not one per former side.
 *
 * <p>The lock is taken through Vert.x's shared data, which keeps it in the Hazelcast map
 * {@value #LOCK_MAP}, and released here, on a worker thread, before the member leaves: Vert.x
 * releases it on a thread of its own that nobody waits for, which failed with the member already
 * gone when it stopped.
 */
public final class Ticker {

  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
  /** A tick fails every interval for as long as its cause lasts, such as a lack of data members. */
  private static final LimitLog FAILURES = new LimitLog(LOG);
  /** The shared-data lock held by the ticking instance. */
  static final String LOCK_NAME = "switchboard.sse.ticker";
  /** The Hazelcast map in which Vert.x keeps its cluster-wide locks. */
  static final String LOCK_MAP = "__vertx.map.lock";
  /** How long one attempt waits for the lock; short, as it holds a worker thread meanwhile. */
  private static final long LOCK_ATTEMPT_MS = 200;
  public static final String MESSAGE = "Hello from server!";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final TopicPublisher publisher;
  private final SseServiceConfig config;
  private final String nodeId;
  private boolean holding;
  private boolean acquiring;
  private boolean stopped;
  private long retryTimer = -1;
  private long tickTimer = -1;

  public Ticker(Vertx vertx, HazelcastInstance hazelcast, TopicPublisher publisher, SseServiceConfig config,
      String nodeId) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.publisher = publisher;
    this.config = config;
    this.nodeId = nodeId;
  }

  public void start() {
    retryTimer = vertx.setPeriodic(1, config.tickerRetry().toMillis(), id -> tryAcquire());
  }

  /**
   * Stops ticking without releasing the lock, which this member no longer holds after merging into
   * another cluster: releasing it would free the holder's. Then competes for the lock again.
   */
  public void abandon() {
    if (!holding || stopped) {
      return;
    }
    holding = false;
    vertx.cancelTimer(tickTimer);
    LOG.warn("Node {} merged into the cluster after a split and lost the ticker lock it held;"
        + " it ticks again only if it takes the lock again", nodeId);
    start();
  }

  /** True while this instance is the one ticking. */
  public boolean leading() {
    return holding;
  }

  private void tryAcquire() {
    if (holding || acquiring || stopped) {
      return;
    }
    acquiring = true;
    vertx.sharedData().getLockWithTimeout(LOCK_NAME, LOCK_ATTEMPT_MS).onComplete(ar -> {
      acquiring = false;
      if (ar.failed()) {
        return;
      }
      if (stopped) {
        release();
        return;
      }
      holding = true;
      vertx.cancelTimer(retryTimer);
      LOG.atInfo().addKeyValue(LogFields.TOPIC, Topics.TICKS).log("Node {} is now the ticker of topic {}", nodeId,
          Topics.TICKS);
      tickTimer = vertx.setPeriodic(config.tickInterval().toMillis(), id -> tick());
    });
  }

  private void tick() {
    JsonObject data = new JsonObject()
        .put("message", MESSAGE)
        .put("time", Timestamps.of(Instant.now()))
        .put("node", nodeId);
    publisher.publish(Topics.TICKS, null, data.encode())
        .onFailure(err -> FAILURES.hit("tick", "Tick on node {} failed: {}", nodeId, err.toString()));
  }

  /**
   * Stops ticking, and completes once the lock is released, so that another instance may take it
   * over before this member leaves.
   */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(retryTimer);
    vertx.cancelTimer(tickTimer);
    if (!holding) {
      return Future.succeededFuture();
    }
    holding = false;
    LOG.info("Node {} stopped ticking", nodeId);
    return release();
  }

  /** Releases the lock, off the event loop; quietly when the member is gone already. */
  private Future<Void> release() {
    return vertx.<Void>executeBlocking(() -> {
      if (hazelcast.getLifecycleService().isRunning()) {
        hazelcast.getMap(LOCK_MAP).forceUnlock(LOCK_NAME);
      }
      return null;
    }, false).recover(err -> {
      // The member left meanwhile: the cluster released its locks with it.
      LOG.debug("Ticker lock of node {} not released: {}", nodeId, err.toString());
      return Future.succeededFuture();
    });
  }
}
