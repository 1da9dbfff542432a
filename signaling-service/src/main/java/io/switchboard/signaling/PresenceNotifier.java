package io.switchboard.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.RoomChange;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * PresenceNotifier tells the gateways that host a room's members who joined or left: one message
 * per gateway node, which delivers it to its local members of the room.
 */
public final class PresenceNotifier {

  private final EventBus bus;

  public PresenceNotifier(EventBus bus) {
    this.bus = bus;
  }

  /** A peer was added by {@code change}; tells every other member, with the peer's user. */
  public void joined(String room, String peer, RoomChange change) {
    String node = change.members().get(peer);
    send(PresenceEvent.joined(room, change.version(), peer, node, change.users().get(peer)),
        nodesOf(change.members(), peer));
  }

  /** Peers were removed by {@code change}; tells every remaining member. */
  public void left(String room, RoomChange change) {
    if (change.members().isEmpty()) {
      return;
    }
    send(PresenceEvent.left(room, change.version(), change.removed().keySet()),
        nodesOf(change.members(), null));
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
      bus.send(Addresses.gatewaySignaling(node), json);
    }
  }
}
