package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.signaling.RoomPeers;
import io.vertx.core.Future;
import java.util.Collection;

/**
 * RoomDirectory is where a connection's peer joins and leaves rooms: a join answers with the room's
 * members, and the directory knows which gateway nodes left the cluster, taking their peers with
 * them. Presence changes of a joined room then reach the session as events, in
 * {@link SignalingSession#onPresence}. It also answers what rooms there are, for
 * {@link RoomsHandler}. The clustered directory is {@link RoomControl}.
 */
interface RoomDirectory {

  /**
   * Joins {@code room} as {@code user} (null when the peer has none), leaving {@code leaving} (may be
   * null) once in.
   */
  Future<JoinReply> join(String room, String peer, String user, String leaving);

  Future<Void> leave(String room, String peer);

  /**
   * Leaves on behalf of a connection that is gone, retrying a few times: a leave that never lands
   * would leave a ghost member.
   */
  void leaveEventually(String room, String peer);

  /** Gateway nodes lost and not back, oldest first. */
  Collection<String> lostNodes();

  /** True when {@code node} left the cluster and has not come back. */
  boolean isLost(String node);

  /** Every room that has members, with its member count, sorted by name. */
  Future<RoomList> listRooms();

  /** The members of {@code room}, a valid room name, in join order; none when nobody is in it. */
  Future<RoomPeers> roomPeers(String room);
}
