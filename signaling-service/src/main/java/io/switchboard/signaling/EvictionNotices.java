package io.switchboard.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.RoomChange;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EvictionNotices tells a gateway node that was taken for lost, and is found in the cluster again,
 * which of its peers were evicted meanwhile, so that it puts them back in their rooms or tells them
 * they are out.
 *
 * <p>A frozen member, or a split, can make a member drop a live gateway from its member list for a
 * few seconds; the peers of that gateway are evicted like those of a dead one, and without a notice
 * they would go on believing they are in their rooms. Each eviction is kept for a while
 * ({@code SIGNALING_EVICTION_NOTICE_MS}) and, once the node is listed in the cluster again (checked
 * every second), sent to its signaling inbox as a request until it is answered: again a second
 * after its inbox was not found, or after the 5 s a request waits for an answer. A node that does not come back
 * gets nothing, and the notices for it are dropped when their time is up. Runs on the verticle's
 * context.
 */
final class EvictionNotices {

  private static final Logger LOG = LoggerFactory.getLogger(EvictionNotices.class);
  /** Pause between attempts, and between checks of which nodes are in the cluster. */
  static final long RETRY_MS = 1000;
  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(5000);

  private final Vertx vertx;
  private final Supplier<Set<String>> liveNodes;
  private final Duration keep;
  /** Gateway node to its notices not yet answered. */
  private final Map<String, NodeNotices> pending = new HashMap<>();
  private long timer = -1;
  private boolean stopped;

  /**
   * @param liveNodes the node ids of the cluster's current members
   * @param keep how long an eviction is offered to its node
   */
  EvictionNotices(Vertx vertx, Supplier<Set<String>> liveNodes, Duration keep) {
    this.vertx = vertx;
    this.liveNodes = liveNodes;
    this.keep = keep;
  }

  /** Keeps a notice for each node whose peers {@code changes}, room by room, removed. */
  void add(Map<String, RoomChange> changes) {
    long expires = System.nanoTime() + keep.toNanos();
    changes.forEach((room, change) -> {
      Map<String, List<String>> byNode = new LinkedHashMap<>();
      change.removed().forEach((peer, node) -> byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(peer));
      byNode.forEach((node, peers) -> pending.computeIfAbsent(node, n -> new NodeNotices())
          .add(PresenceEvent.evicted(room, change.version(), peers), expires));
    });
    if (!pending.isEmpty() && timer < 0 && !stopped) {
      timer = vertx.setPeriodic(RETRY_MS, id -> offer());
    }
  }

  /** The number of notices not yet answered. */
  int pending() {
    return pending.values().stream().mapToInt(notices -> notices.events.size()).sum();
  }

  /** Sends nothing more; a notice kept after this is dropped. */
  void stop() {
    stopped = true;
    pause();
  }

  private void pause() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void offer() {
    long now = System.nanoTime();
    Set<String> live = liveNodes.get();
    pending.entrySet().removeIf(entry -> entry.getValue().expire(entry.getKey(), now));
    pending.forEach((node, notices) -> {
      if (live.contains(node)) {
        notices.sendTo(node);
      }
    });
    if (pending.isEmpty()) {
      pause();
    }
  }

  /** One node's notices, each with the time it is dropped, and those sent and not yet answered. */
  private final class NodeNotices {
    private final Map<PresenceEvent, Long> events = new LinkedHashMap<>();
    private final Set<PresenceEvent> inFlight = new HashSet<>();

    void add(PresenceEvent event, long expires) {
      events.put(event, expires);
    }

    void sendTo(String node) {
      for (PresenceEvent event : List.copyOf(events.keySet())) {
        if (inFlight.add(event)) {
          vertx.eventBus().request(Addresses.gatewaySignaling(node), event.toJson(), DELIVERY)
              .onComplete(answer -> {
                inFlight.remove(event);
                if (answer.succeeded()) {
                  events.remove(event);
                  LOG.info("Told gateway node {}, found in the cluster again, that its peers {} were"
                      + " evicted from room {}", node, event.evicted(), event.room());
                }
              });
        }
      }
    }

    /** Drops the notices whose time is up; true when none is left. */
    boolean expire(String node, long now) {
      events.entrySet().removeIf(entry -> {
        boolean expired = now - entry.getValue() >= 0 && !inFlight.contains(entry.getKey());
        if (expired) {
          LOG.debug("Gateway node {} did not come back; dropped the notice of its peers {} evicted from room {}",
              node, entry.getKey().evicted(), entry.getKey().room());
        }
        return expired;
      });
      return events.isEmpty() && inFlight.isEmpty();
    }
  }
}
