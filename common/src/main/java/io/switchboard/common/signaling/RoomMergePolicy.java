package io.switchboard.common.signaling;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RoomMergePolicy decides what a room becomes when two clusters that split apart merge again: every
 * member of either copy stays, in the order they joined, and the room is marked {@code merged} so
 * that signaling-service reconciles it ({@link ReconcileRoom}): trims it to capacity and tells the
 * members what changed.
 *
 * <p>With {@code CLUSTER_MIN_DATA_MEMBERS} at 1 both sides of a partition accept joins, each into
 * its own copy of the room, and Hazelcast's default would keep one copy whole and drop the other's
 * members without a word to anyone. The union keeps them all; capacity is not known here (the policy
 * runs on whichever data member owns the room, whatever service it runs), so the trim is left to
 * the reconciliation. Members both copies share joined before the split and come first; the others
 * are ordered by their join versions, which follow the clocks of the signaling instances that
 * admitted them. Copies with the same members need no reconciliation: the later one is kept.
 */
public final class RoomMergePolicy implements SplitBrainMergePolicy<Room, MergingValue<Room>, Object> {

  public RoomMergePolicy() {
  }

  @Override
  public Object merge(MergingValue<Room> merging, MergingValue<Room> existing) {
    if (merging == null) {
      return existing == null ? null : existing.getRawValue();
    }
    if (existing == null) {
      return merging.getRawValue();
    }
    Room union = union(merging.getValue(), existing.getValue());
    if (union == null) {
      return merging.getValue().version() > existing.getValue().version()
          ? merging.getRawValue() : existing.getRawValue();
    }
    return union;
  }

  /**
   * The union of two copies of a room, marked merged; null when they have the same members and
   * neither is waiting for a reconciliation, so either may be kept as it is.
   */
  static Room union(Room merging, Room existing) {
    if (merging == null || existing == null) {
      return merging == null ? existing : merging;
    }
    if (merging.members().equals(existing.members()) && !merging.merged() && !existing.merged()) {
      return null;
    }
    List<Member> all = new ArrayList<>();
    Map<String, Member> byPeer = new LinkedHashMap<>();
    for (Room copy : List.of(existing, merging)) {
      copy.members().forEach((peer, node) -> {
        Member member = new Member(peer, node, copy.users().get(peer), copy.joinVersion(peer), all.size());
        Member known = byPeer.get(peer);
        // A peer in both copies joined before the split; should one copy hold a later join, it wins.
        if (known == null || member.joined() > known.joined()) {
          if (known != null) {
            all.remove(known);
          }
          byPeer.put(peer, member);
          all.add(member);
        }
      });
    }
    // Stable: members of the same join version (those joined before join versions were recorded)
    // keep the existing copy's order, then the merging copy's.
    all.sort(Comparator.comparingLong(Member::joined).thenComparingInt(Member::rank));
    LinkedHashMap<String, String> members = new LinkedHashMap<>();
    LinkedHashMap<String, String> users = new LinkedHashMap<>();
    LinkedHashMap<String, Long> joins = new LinkedHashMap<>();
    for (Member member : all) {
      members.put(member.peer(), member.node());
      if (member.user() != null) {
        users.put(member.peer(), member.user());
      }
      if (member.joined() > 0) {
        joins.put(member.peer(), member.joined());
      }
    }
    return new Room(Math.max(merging.version(), existing.version()), members, users, joins, true);
  }

  /** One member of either copy, with its place among all the members read. */
  private record Member(String peer, String node, String user, long joined, int rank) {
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // Stateless.
  }

  @Override
  public void readData(ObjectDataInput in) {
    // Stateless.
  }
}
