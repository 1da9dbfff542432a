package io.switchboard.common.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * PresenceEvent tells a gateway node that members joined or left a room its peers are in. The
 * signaling-service instance that changed the room (by a join, a leave, the eviction of a lost
 * node's peers, or the reconciliation of a room after a merge of split clusters) sends it to the
 * signaling inbox of each gateway node that hosts one of the room's other members,
 * {@code Addresses.gatewaySignaling(node)}. Both sides use this record.
 *
 * <p>A reconciliation ({@code reconciled}) carries the whole room: {@code joined} lists every
 * member, and a gateway announces to each of its peers the members its view lacks, and the
 * departure of those its view has that are not listed. It is also sent to the gateways of the
 * members it removed for being over capacity ({@code overCapacity}), which tell them they are out.
 * Gateways that predate these fields read it as a plain event.
 *
 * <p>An eviction notice ({@code evicted}) goes to a gateway node whose peers were evicted because
 * the cluster took the node for lost, once the node is found in the cluster after all: it names
 * the peers evicted, which the gateway puts back in the room, or tells that they are out. They are
 * in {@code left} too, so a gateway that predates the field reads it as their departure.
 *
 * @param room the room
 * @param version the room's version after the change; gateways apply only what is newer than what
 *     they know
 * @param joined peer id to gateway node id of the members that joined
 * @param left the peer ids of the members that left
 * @param users peer id to user of the members that joined and have one (gateways know the users of
 *     those that leave)
 * @param reconciled true when the event is a reconciliation after a merge: {@code joined} is then
 *     every member of the room
 * @param overCapacity the peers a reconciliation removed because the merged room held more than
 *     its capacity; they are in {@code left} too
 * @param evicted the peers of the receiving gateway node evicted while the node was taken for lost;
 *     they are in {@code left} too
 * @param previous the room's version before the change, so that a gateway that sees an event follow a
 *     change it has not heard of yet can wait for that one first; 0 when not known (an event of a
 *     release before the field, a reconciliation, an eviction notice)
 */
public record PresenceEvent(String room, long version, Map<String, String> joined, List<String> left,
    Map<String, String> users, boolean reconciled, List<String> overCapacity, List<String> evicted,
    long previous) {

  public PresenceEvent {
    joined = JsonFields.copyOf(joined);
    left = List.copyOf(left);
    users = JsonFields.copyOf(users);
    overCapacity = overCapacity == null ? List.of() : List.copyOf(overCapacity);
    evicted = evicted == null ? List.of() : List.copyOf(evicted);
  }

  /** An event whose previous version is not known. */
  public PresenceEvent(String room, long version, Map<String, String> joined, List<String> left,
      Map<String, String> users, boolean reconciled, List<String> overCapacity, List<String> evicted) {
    this(room, version, joined, left, users, reconciled, overCapacity, evicted, 0);
  }

  /** An event without evicted peers. */
  public PresenceEvent(String room, long version, Map<String, String> joined, List<String> left,
      Map<String, String> users, boolean reconciled, List<String> overCapacity) {
    this(room, version, joined, left, users, reconciled, overCapacity, List.of());
  }

  /** An event about joins and departures, not a reconciliation. */
  public PresenceEvent(String room, long version, Map<String, String> joined, List<String> left,
      Map<String, String> users) {
    this(room, version, joined, left, users, false, List.of());
  }

  /** An event about members without users. */
  public PresenceEvent(String room, long version, Map<String, String> joined, List<String> left) {
    this(room, version, joined, left, Map.of());
  }

  /** {@code peer}, connected to gateway node {@code node}, joined. */
  public static PresenceEvent joined(String room, long version, String peer, String node) {
    return joined(room, version, peer, node, null);
  }

  /** {@code peer}, connected to gateway node {@code node}, joined as {@code user} (may be null). */
  public static PresenceEvent joined(String room, long version, String peer, String node, String user) {
    return joined(room, version, 0, peer, node, user);
  }

  /**
   * {@code peer}, connected to gateway node {@code node}, joined as {@code user} (may be null) by a
   * change from version {@code previous} to {@code version}.
   */
  public static PresenceEvent joined(String room, long version, long previous, String peer, String node,
      String user) {
    return new PresenceEvent(room, version, Map.of(peer, node), List.of(),
        user == null ? Map.of() : Map.of(peer, user), false, List.of(), List.of(), previous);
  }

  /** {@code peers} left. */
  public static PresenceEvent left(String room, long version, Collection<String> peers) {
    return left(room, version, 0, peers);
  }

  /** {@code peers} left, by a change from version {@code previous} to {@code version}. */
  public static PresenceEvent left(String room, long version, long previous, Collection<String> peers) {
    return new PresenceEvent(room, version, Map.of(), List.copyOf(peers), Map.of(), false, List.of(),
        List.of(), previous);
  }

  /**
   * The notice to a gateway node that {@code peers}, its own, were evicted from the room at
   * {@code version} while the node was taken for lost.
   */
  public static PresenceEvent evicted(String room, long version, Collection<String> peers) {
    return new PresenceEvent(room, version, Map.of(), List.copyOf(peers), Map.of(), false, List.of(),
        List.copyOf(peers));
  }

  /**
   * The reconciliation of a room after a merge: {@code members} are all its members, {@code left}
   * those it removed, {@code overCapacity} those of them removed for being over capacity.
   */
  public static PresenceEvent reconciliation(String room, long version, Map<String, String> members,
      Collection<String> left, Map<String, String> users, Collection<String> overCapacity) {
    return new PresenceEvent(room, version, members, List.copyOf(left), users, true, List.copyOf(overCapacity));
  }

  /**
   * {@code users} is left out when empty, {@code reconciled} when false, {@code overCapacity} and
   * {@code evicted} when empty, {@code previous} when not known.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(SignalingProtocol.KIND, SignalingProtocol.KIND_PRESENCE)
        .put("room", room).put("version", version).put("joined", JsonFields.members(joined))
        .put("left", new JsonArray(new ArrayList<>(left)));
    if (!users.isEmpty()) {
      json.put("users", JsonFields.members(users));
    }
    if (reconciled) {
      json.put("reconciled", true);
    }
    if (!overCapacity.isEmpty()) {
      json.put("overCapacity", new JsonArray(new ArrayList<>(overCapacity)));
    }
    if (!evicted.isEmpty()) {
      json.put("evicted", new JsonArray(new ArrayList<>(evicted)));
    }
    if (previous > 0) {
      json.put("previous", previous);
    }
    return json;
  }

  /**
   * Reads an event; null when it is not a presence event or names no room. A missing version or
   * previous version reads as 0, and joined members whose node is not a string, users that are not strings, or left or
   * over-capacity or evicted peers that are not strings, are left out; {@code reconciled} reads as false
   * unless it is true.
   */
  public static PresenceEvent fromJson(JsonObject json) {
    if (json == null || !SignalingProtocol.KIND_PRESENCE.equals(json.getValue(SignalingProtocol.KIND))) {
      return null;
    }
    String room = JsonFields.string(json, "room");
    return room == null ? null : new PresenceEvent(room, JsonFields.number(json, "version"),
        JsonFields.members(json, "joined"), JsonFields.strings(json, "left"), JsonFields.members(json, "users"),
        Boolean.TRUE.equals(json.getValue("reconciled")), JsonFields.strings(json, "overCapacity"),
        JsonFields.strings(json, "evicted"), JsonFields.number(json, "previous"));
  }
}
