package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.JoinRequest;
import io.switchboard.common.signaling.LeaveRequest;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.signaling.RoomListRequest;
import io.switchboard.common.signaling.RoomPeers;
import io.switchboard.common.signaling.RoomPeersRequest;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RoomControl is the clustered {@link RoomDirectory}: it sends a gateway's join and leave requests,
 * and its room listings, to signaling-service over the event bus, each with a timeout, and reads
 * lost nodes from the node.
 */
final class RoomControl implements RoomDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(RoomControl.class);
  /**
   * Attempts for a leave nobody waits for, as when a connection closes: with the pauses between
   * them doubling from {@link #LEAVE_RETRY_MILLIS} up to {@link #LEAVE_RETRY_MAX_MILLIS}, they span
   * about 40 seconds, long enough for a cluster that split to merge and elect its members again.
   */
  private static final int LEAVE_ATTEMPTS = 8;
  private static final long LEAVE_RETRY_MILLIS = 1000;
  private static final long LEAVE_RETRY_MAX_MILLIS = 8000;

  private final Vertx vertx;
  private final String nodeId;
  private final DeliveryOptions delivery;
  private final LostNodes lostNodes;

  RoomControl(Vertx vertx, String nodeId, SignalingConfig config, LostNodes lostNodes) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.lostNodes = lostNodes;
    this.delivery = new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
  }

  String nodeId() {
    return nodeId;
  }

  @Override
  public Future<JoinReply> join(String room, String peer, String user, String leaving) {
    return request(new JoinRequest(room, peer, nodeId, leaving, user).toJson()).map(JoinReply::fromJson);
  }

  @Override
  public Future<Void> leave(String room, String peer) {
    return request(new LeaveRequest(room, peer).toJson()).mapEmpty();
  }

  /** A ghost member would stay until this gateway node itself leaves the cluster. */
  @Override
  public void leaveEventually(String room, String peer) {
    leaveAttempt(room, peer, 1);
  }

  private void leaveAttempt(String room, String peer, int attempt) {
    leave(room, peer).onFailure(err -> {
      ErrorCode code = BusErrors.code(err);
      if (attempt < LEAVE_ATTEMPTS && (code == ErrorCode.SERVICE_UNAVAILABLE || code == ErrorCode.TIMEOUT
          || code == ErrorCode.INTERNAL || code == ErrorCode.NO_QUORUM)) {
        long pause = Math.min(LEAVE_RETRY_MILLIS << (attempt - 1), LEAVE_RETRY_MAX_MILLIS);
        vertx.setTimer(pause, id -> leaveAttempt(room, peer, attempt + 1));
      } else {
        LOG.atWarn().addKeyValue(LogFields.PEER, peer).addKeyValue(LogFields.ROOM, room)
            .log("Peer {} could not leave room {}: {}", peer, room, err.toString());
      }
    });
  }

  @Override
  public Collection<String> lostNodes() {
    return lostNodes.all();
  }

  @Override
  public boolean isLost(String node) {
    return lostNodes.contains(node);
  }

  @Override
  public Future<RoomList> listRooms() {
    return request(new RoomListRequest().toJson()).map(RoomList::fromJson);
  }

  @Override
  public Future<RoomPeers> roomPeers(String room) {
    return request(new RoomPeersRequest(room).toJson()).map(RoomPeers::fromJson);
  }

  private Future<JsonObject> request(JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.SIGNALING_ROOMS, body, delivery)
        .map(Message::body);
  }
}
