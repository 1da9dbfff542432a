package io.switchboard.gateway.sse;

import io.switchboard.gateway.node.SseConfig;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.EventTypes;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.Permissions;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * PublishHandler answers {@code POST /api/topics/{topic}/events} with body
 * {@code {"event": "<optional type>", "data": <any JSON>}}: 202 with the event's id once
 * sse-service stored it.
 *
 * <p>An {@code Idempotency-Key} header makes the publish safe to retry: within
 * {@code PUBLISH_IDEMPOTENCY_WINDOW_SECONDS} the same key and body on the same topic answer 202
 * with the first attempt's body (and {@code Idempotent-Replayed: true}) and store nothing; the same
 * key with another body answers 409 {@code idempotency-conflict}. Keys are the publisher's own: a
 * user's, or the API keys' shared one, never meet another's.
 *
 * <p>The request's grants must allow publishing to the topic, and no event may take a type that
 * the server itself sends ({@link EventTypes#RESERVED}).
 */
final class PublishHandler {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_KEY_LENGTH = 255;

  private final TopicLog log;
  private final Duration timeout;

  PublishHandler(TopicLog log, SseConfig config) {
    this.log = log;
    this.timeout = config.requestTimeout();
  }

  /** Runs before the body is read: a bad topic or content type needs no body. */
  void checkRequest(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!Topics.isValid(topic)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC,
          Topics.NAME_RULE);
      return;
    }
    if (Topics.isReserved(topic)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC,
          "Topic '" + topic + "' is written by the server only");
      return;
    }
    if (!RequestGrants.of(ctx).mayPublish(topic)) {
      Permissions.forbid(ctx, "Not allowed to publish to topic '" + topic + "'");
      return;
    }
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null && !validKey(key)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
      return;
    }
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
    if (!mediaType.equalsIgnoreCase("application/json")) {
      JsonResponses.error(ctx.response(), ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be application/json");
      return;
    }
    ctx.next();
  }

  void publish(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String type = body.getString("event");
    String data = Json.encode(body.getValue("data"));
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    log.append(ctx.pathParam("topic"), type, data, key, keyScope(RequestGrants.of(ctx)))
        .onSuccess(reply -> {
          if (reply.replayed()) {
            ctx.response().putHeader(REPLAYED, "true");
          }
          JsonResponses.json(ctx.response(), 202, reply.toClientJson());
        })
        .onFailure(err -> JsonResponses.error(ctx.response(), BusErrors.code(err),
            BusErrors.message(err, "sse", timeout)));
  }

  /** The body if it is a valid event, its {@code event} a string or absent; else answers 400 and null. */
  private static JsonObject body(RoutingContext ctx) {
    JsonObject body;
    try {
      Object parsed = Json.decodeValue(ctx.body().buffer());
      if (!(parsed instanceof JsonObject object)) {
        JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
            "The body must be a JSON object {\"event\": \"<optional type>\", \"data\": <any JSON>}");
        return null;
      }
      body = object;
    } catch (DecodeException | NullPointerException e) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_JSON, "The body is not valid JSON");
      return null;
    }
    if (!body.containsKey("data")) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "The body needs a \"data\" field");
      return null;
    }
    Object type = body.getValue("event");
    if (type != null && !(type instanceof String text && EventTypes.isValid(text))) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          "\"event\" must be a string of 1 to " + EventTypes.MAX_LENGTH
              + " characters without control characters");
      return null;
    }
    if (EventTypes.isReserved((String) type)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          "\"event\" may not be '" + type + "': the server sends events of that type");
      return null;
    }
    return body;
  }

  /**
   * Whose idempotency keys a publish uses: a user's own, the API keys' shared one, or in open mode,
   * where nobody is known, the one of every client.
   */
  static String keyScope(Grants grants) {
    return switch (grants.kind()) {
      case USER -> "user:" + grants.sub();
      case API_KEY -> "api";
      case OPEN -> null;
    };
  }

  private static boolean validKey(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** The body handler fails the request with 413 when the body is over the limit. */
  void failure(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      return;
    }
    if (ctx.statusCode() == 413) {
      JsonResponses.error(ctx.response(), ErrorCode.TOO_LARGE, "The body is over the size limit");
    } else if (ctx.statusCode() == 400) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "Malformed request body");
    } else {
      ctx.next();
    }
  }
}
