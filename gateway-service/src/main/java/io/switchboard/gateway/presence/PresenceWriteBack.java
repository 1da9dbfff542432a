package io.switchboard.gateway.presence;

import com.hazelcast.map.IMap;
import io.switchboard.common.topics.PresenceKeys;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PresenceWriteBack remembers the presence entries of this node's own connections, and writes
 * back those the map lost: the cluster state that held them went, as when the only data member
 * restarts, or two go at once. Each one written back is told as a join again. When it wrote any
 * back, it asks every gateway, a little later, to read presence again: the connections of gateways
 * that died with that state cannot be swept, since nothing lists them any more.
 *
 * <p>A write-back that fails (the data members are still settling) is tried again every
 * {@value #RETRY_MS} ms, up to {@value #MAX_ATTEMPTS} times; one asked for while another runs
 * runs once more after it. Used from any thread.
 */
final class PresenceWriteBack {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceWriteBack.class);
  /** From a write-back that wrote entries to the reading again of presence. */
  static final long REREAD_DELAY_MS = 3_000;
  static final long RETRY_MS = 2_000;
  static final int MAX_ATTEMPTS = 15;

  /** One of this node's connections present in a topic. */
  private record Own(String topic, String connectionId) {
  }

  /** What one attempt wrote back, and whether every entry could be checked. */
  private record Outcome(List<PresenceKeys.Entry> restored, boolean complete) {
  }

  private final Vertx vertx;
  private final Supplier<IMap<String, String>> map;
  /** This node's id of now: it changes when the node joins the cluster again. */
  private final Supplier<String> nodeId;
  /** Each own entry to its value in the map, as long as the connection is present. */
  private final Map<Own, String> own = new ConcurrentHashMap<>();
  private TopicPresence.Changes changes;
  private boolean running;
  private boolean again;
  private long retryTimer = -1;
  private long rereadTimer = -1;
  private boolean stopped;

  PresenceWriteBack(Vertx vertx, Supplier<IMap<String, String>> map, Supplier<String> nodeId) {
    this.vertx = vertx;
    this.map = map;
    this.nodeId = nodeId;
  }

  void start(TopicPresence.Changes changes) {
    this.changes = changes;
  }

  void remember(String topic, String connectionId, String value) {
    own.put(new Own(topic, connectionId), value);
  }

  /** Forgets the entry; whether this node had it. */
  boolean forget(String topic, String connectionId) {
    return own.remove(new Own(topic, connectionId)) != null;
  }

  /** Writes back what the map lost, off the event loops. */
  synchronized void restore() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    attempt(1);
  }

  private void attempt(int number) {
    vertx.executeBlocking(this::writeBack, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().restored().forEach(e -> changes.restored(e.topic(), new Present(e.id(), e.user())));
        if (!ar.result().restored().isEmpty()) {
          reread();
        }
      }
      boolean complete = ar.succeeded() && ar.result().complete();
      if (!complete) {
        LOG.warn("Could not write back all the topic presence of this gateway (attempt {} of {}): {}", number,
            MAX_ATTEMPTS, ar.failed() ? ar.cause().toString() : "some entries failed");
      }
      synchronized (this) {
        if (!complete && number < MAX_ATTEMPTS && !stopped) {
          retryTimer = vertx.setTimer(RETRY_MS, id -> attempt(number + 1));
          return;
        }
        running = false;
        if (again) {
          again = false;
          restore();
        }
      }
    });
  }

  /** One attempt, on a worker: what the map holds read at once, what it lost written at once. */
  private Outcome writeBack() throws InterruptedException {
    IMap<String, String> presence = map.get();
    String node = nodeId.get();
    Map<String, Own> keys = new HashMap<>();
    own.keySet().forEach(entry -> keys.put(PresenceKeys.key(entry.topic(), node, entry.connectionId()), entry));
    Map<String, String> held = presence.getAll(keys.keySet());
    Map<String, CompletableFuture<Void>> writes = new HashMap<>();
    keys.forEach((key, entry) -> {
      String value = own.get(entry);
      if (!held.containsKey(key) && value != null) {
        writes.put(key, presence.setAsync(key, value).toCompletableFuture());
      }
    });
    List<PresenceKeys.Entry> restored = new ArrayList<>();
    boolean complete = true;
    for (Map.Entry<String, CompletableFuture<Void>> write : writes.entrySet()) {
      try {
        write.getValue().get();
      } catch (ExecutionException e) {
        complete = false;
      }
      String value = own.get(keys.get(write.getKey()));
      if (value == null) {
        // It left while being written back: whether or not the write happened, it goes.
        presence.removeAsync(write.getKey());
      } else if (!write.getValue().isCompletedExceptionally()) {
        restored.add(PresenceKeys.decode(write.getKey(), value));
      }
    }
    return new Outcome(restored, complete);
  }

  /** Once every gateway has had time to write back its own, presence is read again everywhere. */
  private synchronized void reread() {
    if (stopped) {
      return;
    }
    vertx.cancelTimer(rereadTimer);
    rereadTimer = vertx.setTimer(REREAD_DELAY_MS, id -> changes.reread());
  }

  synchronized void stop() {
    stopped = true;
    vertx.cancelTimer(retryTimer);
    vertx.cancelTimer(rereadTimer);
  }
}
