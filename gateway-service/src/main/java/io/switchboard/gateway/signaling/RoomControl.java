package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.gateway.ws.BusErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RoomControl sends a gateway's join and leave requests to signaling-service over the event bus,
 * each with a timeout.
 */
final class RoomControl {

  private static final Logger LOG = LoggerFactory.getLogger(RoomControl.class);
  /** Attempts for a leave nobody waits for, as when a connection closes. */
  private static final int LEAVE_ATTEMPTS = 3;
  private static final long LEAVE_RETRY_MILLIS = 1000;

  private final Vertx vertx;
  private final String nodeId;
  private final DeliveryOptions delivery;

  RoomControl(Vertx vertx, String nodeId, SignalingConfig config) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.delivery = new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
  }

  String nodeId() {
    return nodeId;
  }

  /** Joins {@code room}, leaving {@code leaving} (may be null) once in; replies with the members. */
  Future<JsonObject> join(String room, String peer, String leaving) {
    return request(SignalingProtocol.joinRequest(room, peer, nodeId, leaving));
  }

  Future<JsonObject> leave(String room, String peer) {
    return request(SignalingProtocol.leaveRequest(room, peer));
  }

  /**
   * Leaves on behalf of a connection that is gone, retrying a few times: a leave that never lands
   * would leave a ghost member until this gateway node itself leaves the cluster.
   */
  void leaveEventually(String room, String peer) {
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

  private Future<JsonObject> request(JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.SIGNALING_ROOMS, body, delivery)
        .map(Message::body);
  }
}
