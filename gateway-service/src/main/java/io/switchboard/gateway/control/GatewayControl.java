package io.switchboard.gateway.control;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.auth.Revocations;
import io.switchboard.gateway.signaling.SignalingNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * GatewayControl carries out an operator's command on this gateway node's own connections, at its
 * control address: a disconnect or a revocation closes the user's connections on every event loop,
 * a kick takes a peer of this node out of its room. It answers with how many it closed or kicked.
 */
public final class GatewayControl implements Handler<Message<JsonObject>> {

  /** This node's connections on all its event loops. */
  @FunctionalInterface
  public interface LocalConnections {
    /** Closes the connections of {@code user} whose tokens were issued before {@code issuedBefore}; how many. */
    Future<Integer> disconnect(String user, long issuedBefore);
  }

  private final LocalConnections connections;
  private final Revocations revocations;
  private final SignalingNode signaling;

  public GatewayControl(LocalConnections connections, Revocations revocations, SignalingNode signaling) {
    this.connections = connections;
    this.revocations = revocations;
    this.signaling = signaling;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    JsonObject command = message.body();
    String op = command == null ? null : command.getString(ControlCommands.OP);
    if (!ControlCommands.wellFormed(command)) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "Malformed control command " + op);
      return;
    }
    Future<Integer> done;
    if (ControlCommands.DISCONNECT.equals(op)) {
      done = connections.disconnect(command.getString("user"), Long.MAX_VALUE);
    } else if (ControlCommands.REVOKE.equals(op)) {
      String user = command.getString("user");
      long before = command.getLong("before");
      // Known here before a single connection is closed: a reconnect with the same token is refused.
      revocations.revoke(user, new Revocations.Revocation(before, command.getLong("until")));
      done = connections.disconnect(user, before);
    } else if (ControlCommands.KICK.equals(op)) {
      done = signaling.kick(command.getString("room"), command.getString("peer")).map(kicked -> kicked ? 1 : 0);
    } else {
      message.fail(ErrorCode.UNKNOWN_TYPE.busCode(), "Unknown control command " + op);
      return;
    }
    done.onSuccess(count -> message.reply(ControlCommands.count(count)))
        .onFailure(err -> message.fail(ErrorCode.INTERNAL.busCode(), err.getMessage()));
  }
}
