package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.SignalingProtocol;
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
 * RoomControl is the clustered {@link RoomDirectory}: it sends a gateway's join and leave requests to
 * signaling-service over the event bus, each with a timeout, and reads lost nodes from the node.
 */
final class RoomControl implements RoomDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(RoomControl.class);
  /** Attempts for a leave nobody waits for, as when a connection closes. */
  private static final int LEAVE_ATTEMPTS = 3;
  private static final long LEAVE_RETRY_MILLIS = 1000;

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
  public Future<RoomSnapshot> join(String room, String peer, String leaving) {
    return request(SignalingProtocol.joinRequest(room, peer, nodeId, leaving)).map(RoomSnapshot::fromReply);
  }

  @Override
  public Future<Void> leave(String room, String peer) {
    return request(SignalingProtocol.leaveRequest(room, peer)).mapEmpty();
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
          || code == ErrorCode.INTERNAL)) {
        vertx.setTimer(LEAVE_RETRY_MILLIS, id -> leaveAttempt(room, peer, attempt + 1));
      } else {
        LOG.warn("Peer {} could not leave room {}: {}", peer, room, err.toString());
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

  private Future<JsonObject> request(JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.SIGNALING_ROOMS, body, delivery)
        .map(Message::body);
  }
}
