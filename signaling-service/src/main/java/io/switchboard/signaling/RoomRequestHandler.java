package io.switchboard.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.DataQuorum;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.service.FatalErrors;
import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.JoinRequest;
import io.switchboard.common.signaling.LeaveReply;
import io.switchboard.common.signaling.LeaveRequest;
import io.switchboard.common.signaling.RoomChange;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.signaling.RoomPeers;
import io.switchboard.common.signaling.RoomPeersRequest;
import io.switchboard.common.signaling.SignalingProtocol;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RoomRequestHandler answers the gateways' control requests: join, leave and room listings.
 * Relays never come here; gateways route them to each other directly. Joins and leaves fail with
 * {@code no-quorum} while this side of the cluster has too few data members ({@link DataQuorum});
 * listings still answer.
 */
public final class RoomRequestHandler implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(RoomRequestHandler.class);
  private static final LimitLog LIMITS = new LimitLog(LOG);

  private final RoomRegistry registry;
  private final PresenceNotifier notifier;

  public RoomRequestHandler(RoomRegistry registry, PresenceNotifier notifier) {
    this.registry = registry;
    this.notifier = notifier;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    JsonObject request = message.body();
    String op = SignalingProtocol.op(request);
    if (op == null) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "Missing op");
      return;
    }
    Future<JsonObject> reply = switch (op) {
      case SignalingProtocol.OP_JOIN -> join(JoinRequest.fromJson(request)).map(JoinReply::toJson);
      case SignalingProtocol.OP_LEAVE -> leave(LeaveRequest.fromJson(request)).map(LeaveReply::toJson);
      case SignalingProtocol.OP_ROOMS -> registry.sizes().map(sizes -> RoomList.of(sizes).toJson());
      case SignalingProtocol.OP_ROOM -> room(RoomPeersRequest.fromJson(request)).map(RoomPeers::toJson);
      default -> null;
    };
    if (reply == null) {
      message.fail(ErrorCode.UNKNOWN_TYPE.busCode(), "Unknown op " + op);
      return;
    }
    reply.onSuccess(message::reply).onFailure(err -> fail(message, op, err));
  }

  private Future<JoinReply> join(JoinRequest request) {
    String room = request.room();
    String peer = request.peer();
    if (!SignalingProtocol.validRoom(room) || peer == null || request.node() == null) {
      return Future.failedFuture(new RequestException(ErrorCode.BAD_REQUEST, "Invalid join request"));
    }
    return registry.join(room, peer, request.node(), request.user()).compose(change -> {
      if (change.outcome() == RoomChange.Outcome.FULL) {
        LIMITS.hit("room-full", LogFields.of(LogFields.PEER, peer, LogFields.ROOM, room), "Refusing peer {} a place in room {}: it holds {} peers"
            + " (SIGNALING_ROOM_CAPACITY)", peer, room, registry.capacity());
        return Future.failedFuture(new RequestException(ErrorCode.ROOM_FULL,
            "Room " + room + " is full (" + registry.capacity() + " peers)"));
      }
      if (change.outcome() == RoomChange.Outcome.JOINED) {
        LOG.atDebug().addKeyValue(LogFields.PEER, peer).addKeyValue(LogFields.ROOM, room).log(
            "Peer {} on node {} joined room {} ({} members)", peer, request.node(), room, change.members().size());
        notifier.joined(room, peer, change);
      }
      String leaving = request.leave();
      if (leaving == null || leaving.equals(room)) {
        return Future.succeededFuture(new JoinReply(room, change.version(), change.members(), null,
            change.users()));
      }
      return removeFrom(leaving, peer)
          .recover(err -> {
            // The join stands: failing it now would leave the peer in a room it was told it is not in.
            // The room named is the one the peer may still be listed in.
            LOG.atWarn().addKeyValue(LogFields.PEER, peer).addKeyValue(LogFields.ROOM, leaving).log(
                "Peer {} joined room {} but could not leave room {}: {}", peer, room, leaving, err.toString());
            return Future.succeededFuture(false);
          })
          .map(v -> new JoinReply(room, change.version(), change.members(), leaving, change.users()));
    });
  }

  private Future<LeaveReply> leave(LeaveRequest request) {
    if (request.room() == null || request.peer() == null) {
      return Future.failedFuture(new RequestException(ErrorCode.BAD_REQUEST, "Invalid leave request"));
    }
    return removeFrom(request.room(), request.peer()).map(removed -> new LeaveReply(request.room(), removed));
  }

  private Future<Boolean> removeFrom(String room, String peer) {
    return registry.leave(room, peer).map(change -> {
      if (change.outcome() == RoomChange.Outcome.REMOVED) {
        LOG.atDebug().addKeyValue(LogFields.PEER, peer).addKeyValue(LogFields.ROOM, room)
            .log("Peer {} left room {} ({} members)", peer, room, change.members().size());
        notifier.left(room, change);
        return true;
      }
      return false;
    });
  }

  private Future<RoomPeers> room(RoomPeersRequest request) {
    String room = request.room();
    if (!SignalingProtocol.validRoom(room)) {
      return Future.failedFuture(new RequestException(ErrorCode.BAD_REQUEST, "Invalid room name"));
    }
    return registry.get(room).map(found ->
        new RoomPeers(room, found == null ? List.of() : List.copyOf(found.members().keySet())));
  }

  private static void fail(Message<JsonObject> message, String op, Throwable err) {
    if (err instanceof RequestException request) {
      message.fail(request.code().busCode(), request.getMessage());
    } else if (DataQuorum.refused(err)) {
      // Refused before it ran, by the member that owns the room: the room is as it was.
      LIMITS.hit("no-quorum", "Refusing a signaling {} request: this side of the cluster has fewer"
          + " data members than CLUSTER_MIN_DATA_MEMBERS", op);
      message.fail(ErrorCode.NO_QUORUM.busCode(), "Too few data members are in this part of the cluster"
          + " (CLUSTER_MIN_DATA_MEMBERS) to change rooms; nothing was changed, retry later");
    } else {
      FatalErrors.haltOnOutOfMemory(err);
      LOG.error("Signaling {} request failed: {}", op, err.toString());
      message.fail(ErrorCode.INTERNAL.busCode(), "Room state is unavailable");
    }
  }

  /** A request refused with a documented error code. */
  private static final class RequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient ErrorCode code;

    RequestException(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    ErrorCode code() {
      return code;
    }
  }
}
