package io.switchboard.gateway.control;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.RevocationStore;
import io.switchboard.gateway.auth.Revocations;
import io.switchboard.gateway.node.GatewayFanout;
import io.switchboard.gateway.signaling.SignalingNode;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.BusErrors;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OperatorHandler serves the operator controls, for admin tokens and API keys:
 * {@code DELETE /api/topics/{topic}}, {@code POST /api/users/{sub}/disconnect},
 * {@code POST /api/users/{sub}/revoke} and {@code POST /api/rooms/{room}/kick}. Each is carried out
 * across the cluster, logged with who asked and from where, and counted ({@link OperatorActions}).
 */
public final class OperatorHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorHandler.class);
  /** The longest user id accepted in a path. */
  static final int MAX_USER_LENGTH = 512;

  private final TopicLog topics;
  private final SignalingNode signaling;
  private final GatewayFanout gateways;
  private final RevocationStore revocations;
  private final Duration maxTokenLifetime;
  private final Function<RoutingContext, String> clientAddresses;
  private final Duration timeout;

  public OperatorHandler(TopicLog topics, SignalingNode signaling, GatewayFanout gateways,
      RevocationStore revocations, Duration maxTokenLifetime, Function<RoutingContext, String> clientAddresses,
      Duration timeout) {
    this.topics = topics;
    this.signaling = signaling;
    this.gateways = gateways;
    this.revocations = revocations;
    this.maxTokenLifetime = maxTokenLifetime;
    this.clientAddresses = clientAddresses;
    this.timeout = timeout;
    OperatorActions.register();
  }

  /** {@code DELETE /api/topics/{topic}}: {@code {"topic": ..., "deleted": true|false}}. */
  public void deleteTopic(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!Topics.isValid(topic)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC, Topics.NAME_RULE);
      return;
    }
    answer(ctx, OperatorActions.DELETE_TOPIC, "topic " + topic, topics.delete(topic)
        .map(deleted -> new JsonObject().put("topic", topic).put("deleted", deleted)), "sse");
  }

  /** {@code POST /api/users/{sub}/disconnect}: {@code {"user": ..., "disconnected": n, "unreachable": n}}. */
  public void disconnectUser(RoutingContext ctx) {
    String user = user(ctx);
    if (user == null) {
      return;
    }
    answer(ctx, OperatorActions.DISCONNECT_USER, "user " + user, gateways.send(ControlCommands.disconnect(user))
        .map(result -> new JsonObject().put("user", user).put("disconnected", result.count())
            .put("unreachable", result.unreachable())), "gateway");
  }

  /**
   * {@code POST /api/users/{sub}/revoke} with {@code {"before": <epoch seconds>}}: refuses the
   * user's tokens issued before then, until every such token has expired, and closes the
   * connections that use one.
   */
  public void revokeUser(RoutingContext ctx) {
    String user = user(ctx);
    JsonObject body = user == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    long now = System.currentTimeMillis() / 1000;
    if (!(body.getValue("before") instanceof Number number) || number.longValue() <= 0
        || number.longValue() > now + maxTokenLifetime.toSeconds()) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "The body must be {\"before\": <epoch seconds>},"
          + " a time no later than AUTH_MAX_TOKEN_LIFETIME_SECONDS from now");
      return;
    }
    long before = number.longValue();
    long until = (before + maxTokenLifetime.toSeconds()) * 1000;
    Revocations.Revocation revocation = new Revocations.Revocation(before, until);
    answer(ctx, OperatorActions.REVOKE_USER, "user " + user + " before " + before,
        revocations.store(user, revocation)
            .compose(stored -> gateways.send(ControlCommands.revoke(user, before, until)))
            .map(result -> new JsonObject().put("user", user).put("before", before).put("until", until / 1000)
                .put("disconnected", result.count()).put("unreachable", result.unreachable())), "gateway");
  }

  /** {@code POST /api/rooms/{room}/kick} with {@code {"peer": "<id>"}}: {@code {"room", "peer", "kicked": true}}. */
  public void kickPeer(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    if (!SignalingProtocol.validRoom(room)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, SignalingProtocol.ROOM_NAME_RULE);
      return;
    }
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    if (!(body.getValue("peer") instanceof String peer) || peer.isEmpty() || peer.length() > MAX_USER_LENGTH) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "The body must be {\"peer\": \"<peer id>\"}");
      return;
    }
    signaling.inRoom(room, peer).onComplete(member -> {
      if (member.succeeded() && !member.result()) {
        JsonResponses.error(ctx.response(), ErrorCode.UNKNOWN_PEER, "No peer " + peer + " in room " + room);
        return;
      }
      Future<JsonObject> kicked = member.failed() ? Future.failedFuture(member.cause())
          : gateways.send(ControlCommands.kick(room, peer))
              // No gateway holds it (its connection is gone, its gateway too): out of the room all the same.
              .compose(result -> result.count() > 0 ? Future.succeededFuture()
                  : signaling.removeFromRoom(room, peer))
              .map(v -> new JsonObject().put("room", room).put("peer", peer).put("kicked", true));
      answer(ctx, OperatorActions.KICK_PEER, "peer " + peer + " of room " + room, kicked, "signaling");
    });
  }

  private String user(RoutingContext ctx) {
    String user = ctx.pathParam("sub");
    if (user == null || user.isBlank() || user.length() > MAX_USER_LENGTH) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "The path must name a user, at most "
          + MAX_USER_LENGTH + " characters");
      return null;
    }
    return user;
  }

  /** The request's JSON object, or null once it answered 400. */
  private static JsonObject body(RoutingContext ctx) {
    try {
      if (Json.decodeValue(ctx.body().buffer()) instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException | NullPointerException e) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_JSON, "The body is not valid JSON");
      return null;
    }
    JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "The body must be a JSON object");
    return null;
  }

  private void answer(RoutingContext ctx, String action, String target, Future<JsonObject> done, String service) {
    String who = who(RequestGrants.of(ctx));
    String from = clientAddresses.apply(ctx);
    done.onSuccess(result -> {
      OperatorActions.done(action);
      LOG.info("Operator control {} on {} by {} from {}: {}", action, target, who, from, result.encode());
      JsonResponses.json(ctx.response(), 200, result);
    }).onFailure(err -> {
      LOG.warn("Operator control {} on {} by {} from {} failed: {}", action, target, who, from, err.toString());
      JsonResponses.error(ctx.response(), BusErrors.code(err), BusErrors.message(err, service, timeout));
    });
  }

  /** Who asked, for the log: never a credential. */
  private static String who(Grants grants) {
    return switch (grants.kind()) {
      case API_KEY -> "an API key";
      case USER -> "admin " + grants.sub();
      case OPEN -> "anyone (AUTH_MODE=open)";
    };
  }
}
