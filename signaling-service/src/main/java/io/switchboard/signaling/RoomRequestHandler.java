package io.switchboard.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.RoomChange;
import io.switchboard.common.signaling.SignalingProtocol;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RoomRequestHandler answers the gateways' control requests: join, leave and room listings.
 * Relays never come here; gateways route them to each other directly.
 */
public final class RoomRequestHandler implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(RoomRequestHandler.class);

  private final RoomRegistry registry;
  private final PresenceNotifier notifier;

  public RoomRequestHandler(RoomRegistry registry, PresenceNotifier notifier) {
    this.registry = registry;
    this.notifier = notifier;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    JsonObject request = message.body();
    String op = request == null ? null : request.getString(SignalingProtocol.OP);
    if (op == null) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "Missing op");
      return;
    }
    Future<JsonObject> reply;
    switch (op) {
      case SignalingProtocol.OP_JOIN:
        reply = join(request);
        break;
      case SignalingProtocol.OP_LEAVE:
        reply = leave(request);
        break;
      case SignalingProtocol.OP_ROOMS:
        reply = rooms();
        break;
      case SignalingProtocol.OP_ROOM:
        reply = room(request);
        break;
      default:
        message.fail(ErrorCode.UNKNOWN_TYPE.busCode(), "Unknown op " + op);
        return;
    }
    reply.onSuccess(message::reply).onFailure(err -> fail(message, op, err));
  }

  private Future<JsonObject> join(JsonObject request) {
    String room = request.getString("room");
    String peer = request.getString("peer");
    String node = request.getString("node");
    String leaving = request.getString("leave");
    if (!SignalingProtocol.validRoom(room) || peer == null || node == null) {
      return Future.failedFuture(new RequestException(ErrorCode.BAD_REQUEST, "Invalid join request"));
    }
    return registry.join(room, peer, node).compose(change -> {
      if (change.outcome() == RoomChange.Outcome.FULL) {
        return Future.failedFuture(new RequestException(ErrorCode.ROOM_FULL,
            "Room " + room + " is full (" + registry.capacity() + " peers)"));
      }
      if (change.outcome() == RoomChange.Outcome.JOINED) {
        LOG.debug("Peer {} on node {} joined room {} ({} members)", peer, node, room,
            change.members().size());
        notifier.joined(room, peer, change);
      }
      JsonObject reply = new JsonObject().put("room", room).put("version", change.version())
          .put("members", SignalingProtocol.members(change.members()));
      if (leaving == null || leaving.equals(room)) {
        return Future.succeededFuture(reply);
      }
      return removeFrom(leaving, peer)
          .recover(err -> {
            // The join stands: failing it now would leave the peer in a room it was told it is not in.
            LOG.warn("Peer {} joined room {} but could not leave room {}: {}", peer, room, leaving,
                err.toString());
            return Future.succeededFuture(false);
          })
          .map(v -> reply.put("left", leaving));
    });
  }

  private Future<JsonObject> leave(JsonObject request) {
    String room = request.getString("room");
    String peer = request.getString("peer");
    if (room == null || peer == null) {
      return Future.failedFuture(new RequestException(ErrorCode.BAD_REQUEST, "Invalid leave request"));
    }
    return removeFrom(room, peer).map(removed -> new JsonObject().put("room", room)
        .put("removed", removed));
  }

  private Future<Boolean> removeFrom(String room, String peer) {
    return registry.leave(room, peer).map(change -> {
      if (change.outcome() == RoomChange.Outcome.REMOVED) {
        LOG.debug("Peer {} left room {} ({} members)", peer, room, change.members().size());
        notifier.left(room, change);
        return true;
      }
      return false;
    });
  }

  private Future<JsonObject> rooms() {
    return registry.sizes().map(sizes -> {
      JsonArray rooms = new JsonArray();
      sizes.forEach((room, count) -> rooms.add(new JsonObject().put("room", room).put("peers", count)));
      return new JsonObject().put("rooms", rooms);
    });
  }

  private Future<JsonObject> room(JsonObject request) {
    String room = request.getString("room");
    if (!SignalingProtocol.validRoom(room)) {
      return Future.failedFuture(new RequestException(ErrorCode.BAD_REQUEST, "Invalid room name"));
    }
    return registry.get(room).map(found -> new JsonObject().put("room", room)
        .put("peers", new JsonArray(found == null ? List.of() : List.copyOf(found.members().keySet()))));
  }

  private static void fail(Message<JsonObject> message, String op, Throwable err) {
    if (err instanceof RequestException request) {
      message.fail(request.code().busCode(), request.getMessage());
    } else {
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
