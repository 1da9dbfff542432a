package io.switchboard.common.signaling;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RoomChange is what a room entry processor reports: what happened, the room's version and members
 * afterwards, and which peers it removed.
 *
 * <p>The processor that changes an entry is the only one that reports the change, so exactly one
 * caller sends the notifications even when several signaling instances race.
 *
 * @param outcome what the processor did
 * @param version the room's version after the change (or as found, when unchanged)
 * @param members the room's members after the change: peer id to gateway node id
 * @param removed peer id to gateway node id of the members this change removed
 * @param users peer id to user of the room's members after the change, those that have one
 * @param overCapacity peer id to gateway node id of the members a reconciliation removed because
 *     the merged room held more than its capacity (they are in {@code removed} too); empty otherwise
 * @param previous the room's version before the change, 0 for a room the change created; a change
 *     made by a member of a release before the field reads 0 too
 */
public record RoomChange(Outcome outcome, long version, Map<String, String> members,
    Map<String, String> removed, Map<String, String> users, Map<String, String> overCapacity,
    long previous) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What a room processor did. */
  public enum Outcome {
    /** The peer was added. */
    JOINED,
    /** The peer was a member already; nothing changed. */
    ALREADY_MEMBER,
    /** The room is at capacity; nothing changed. */
    FULL,
    /** Members were removed. */
    REMOVED,
    /** Nobody to remove; nothing changed. */
    UNCHANGED,
    /**
     * A room that a merge of split clusters joined was reconciled: {@code members} are all its
     * members, and {@code removed} those the reconciliation took out.
     */
    RECONCILED
  }

  public RoomChange {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    removed = Collections.unmodifiableMap(new LinkedHashMap<>(removed));
    users = JsonFields.copyOf(users);
    overCapacity = JsonFields.copyOf(overCapacity);
  }

  /** A change whose previous version is not known. */
  public RoomChange(Outcome outcome, long version, Map<String, String> members, Map<String, String> removed,
      Map<String, String> users, Map<String, String> overCapacity) {
    this(outcome, version, members, removed, users, overCapacity, 0);
  }

  /** A change that removed nobody for being over capacity. */
  public RoomChange(Outcome outcome, long version, Map<String, String> members, Map<String, String> removed,
      Map<String, String> users) {
    this(outcome, version, members, removed, users, Map.of());
  }

  /** A change of a room whose members have no users. */
  public RoomChange(Outcome outcome, long version, Map<String, String> members, Map<String, String> removed) {
    this(outcome, version, members, removed, Map.of());
  }

  static RoomChange unchanged(Outcome outcome, Room room) {
    return room == null
        ? new RoomChange(outcome, 0, Map.of(), Map.of())
        : new RoomChange(outcome, room.version(), room.members(), Map.of(), room.users());
  }

  public boolean changed() {
    return outcome == Outcome.JOINED || outcome == Outcome.REMOVED || outcome == Outcome.RECONCILED;
  }
}
