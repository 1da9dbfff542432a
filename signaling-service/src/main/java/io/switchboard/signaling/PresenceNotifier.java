package io.switchboard.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.RoomChange;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PresenceNotifier tells the gateways that host a room's members who joined or left: one message
 * per gateway node, which delivers it to its local members of the room.
 *
 * <p>A reconciliation after a merge is sent as a request, and sent again while the gateway node's
 * inbox is not found or does not answer in time: right after a merge, the cluster's table of
 * event-bus consumers may still lack the consumers of the side that merged in, and the connections
 * to the nodes of that side may still be the ones the split broke, so a plain send could be dropped
 * unseen. An answer ends the attempts. Gateways apply a repeated event once.
 */
public final class PresenceNotifier {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceNotifier.class);
  /** Pause between attempts to deliver a reconciliation to a gateway node. */
  static final long RECONCILE_RETRY_MS = 1000;
  private static final DeliveryOptions RECONCILE_DELIVERY = new DeliveryOptions().setSendTimeout(5000);

  private final Vertx vertx;
  private final Duration reconcileDelivery;

  /** With the default time to deliver a reconciliation. */
  public PresenceNotifier(Vertx vertx) {
    this(vertx, Duration.ofMillis(SignalingServiceConfig.DEFAULT_RECONCILE_DELIVERY_MS));
  }

  /**
   * @param reconcileDelivery how long a reconciliation is sent again to a gateway node not found
   *     or not answering ({@code SIGNALING_RECONCILE_DELIVERY_MS})
   */
  public PresenceNotifier(Vertx vertx, Duration reconcileDelivery) {
    this.vertx = vertx;
    this.reconcileDelivery = reconcileDelivery;
  }

  /** A peer was added by {@code change}; tells every other member, with the peer's user. */
  public void joined(String room, String peer, RoomChange change) {
    String node = change.members().get(peer);
    send(PresenceEvent.joined(room, change.version(), change.previous(), peer, node, change.users().get(peer)),
        nodesOf(change.members(), peer));
  }

  /** Peers were removed by {@code change}; tells every remaining member. */
  public void left(String room, RoomChange change) {
    if (change.members().isEmpty()) {
      return;
    }
    send(PresenceEvent.left(room, change.version(), change.previous(), change.removed().keySet()),
        nodesOf(change.members(), null));
  }

  /**
   * A merged room was reconciled by {@code change}: tells every member the whole room, and the
   * members removed for being over capacity that they are out.
   */
  public void reconciled(String room, RoomChange change) {
    PresenceEvent event = PresenceEvent.reconciliation(room, change.version(), change.members(),
        change.removed().keySet(), change.users(), change.overCapacity().keySet());
    // The gateways of the members, and of those removed, which tell them they are out.
    Set<String> nodes = nodesOf(change.members(), null);
    nodes.addAll(change.overCapacity().values());
    JsonObject json = event.toJson();
    long deadline = System.nanoTime() + reconcileDelivery.toNanos();
    for (String node : nodes) {
      deliver(node, json, deadline);
    }
  }

  private void deliver(String node, JsonObject event, long deadline) {
    vertx.eventBus().request(Addresses.gatewaySignaling(node), event, RECONCILE_DELIVERY).onFailure(err -> {
      boolean undelivered = err instanceof ReplyException reply
          && (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.TIMEOUT);
      if (!undelivered) {
        return;
      }
      if (System.nanoTime() - deadline < 0) {
        vertx.setTimer(RECONCILE_RETRY_MS, id -> deliver(node, event, deadline));
      } else {
        String room = event.getString("room");
        LOG.atWarn().addKeyValue(LogFields.ROOM, room).log("Gave up telling gateway node {} the"
            + " reconciliation of room {}: {}", node, room, err.getMessage());
      }
    });
  }

  private static Set<String> nodesOf(Map<String, String> members, String except) {
    Set<String> nodes = new HashSet<>();
    members.forEach((peer, node) -> {
      if (!peer.equals(except)) {
        nodes.add(node);
      }
    });
    return nodes;
  }

  private void send(PresenceEvent event, Set<String> nodes) {
    JsonObject json = event.toJson();
    for (String node : nodes) {
      vertx.eventBus().send(Addresses.gatewaySignaling(node), json);
    }
  }
}
