package io.switchboard.gateway.sse;

import io.switchboard.common.log.LogFields;
import io.switchboard.gateway.node.SseConfig;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.sse.EventTypes;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.Permissions;
import io.switchboard.gateway.auth.PublishCreator;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.topic.PublishBudget;
import io.switchboard.gateway.topic.IdempotencyKeys;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.BusErrors;
import io.switchboard.gateway.transport.StrictJson;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Each publish holds its body's size of the node's {@link PublishBudget} from before the body is
 * read until it is answered; past the budget it is answered 503 at once. A publish that creates a
 * topic counts against its {@link PublishCreator}'s rate of new topics at sse-service.
 */
final class PublishHandler {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_KEY_LENGTH = IdempotencyKeys.MAX_LENGTH;
  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(PublishHandler.class));

  private final TopicLog log;
  private final Duration timeout;
  private final int maxBodyBytes;
  private final PublishBudget budget;
  private final Function<RoutingContext, String> addresses;

  /** {@code addresses} gives a request's client address, who creates topics in open mode. */
  PublishHandler(TopicLog log, SseConfig config, PublishBudget budget,
      Function<RoutingContext, String> addresses) {
    this.log = log;
    this.timeout = config.requestTimeout();
    this.maxBodyBytes = config.maxBodyBytes();
    this.budget = budget;
    this.addresses = addresses;
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
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
    if (!mediaType.equalsIgnoreCase("application/json")) {
      JsonResponses.error(ctx.response(), ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be application/json");
      return;
    }
    if (reserve(ctx)) {
      ctx.next();
    }
  }

  /**
   * Takes the body's size from the budget until the request ends, or answers 503. A body of unknown
   * length counts as the largest allowed; a longer one is refused while it is read.
   */
  private boolean reserve(RoutingContext ctx) {
    long length = contentLength(ctx);
    long bytes = length < 0 ? maxBodyBytes : Math.min(length, maxBodyBytes);
    if (!budget.reserve(bytes)) {
      LIMITS.hit("publish-in-flight", "publishes hold SSE_PUBLISH_MAX_IN_FLIGHT_BYTES; one of {} bytes refused",
          bytes);
      JsonResponses.error(ctx.response(), ErrorCode.SERVICE_UNAVAILABLE,
          "This gateway is storing too many publishes at once; retry shortly");
      return false;
    }
    ctx.addEndHandler(done -> budget.release(bytes));
    return true;
  }

  private static long contentLength(RoutingContext ctx) {
    String header = ctx.request().getHeader("Content-Length");
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void publish(RoutingContext ctx) {
    Object parsed;
    try {
      // As strict as the frames of /ws/topics: no comments, no repeated key, nothing after the value.
      parsed = StrictJson.decode(ctx.body().buffer().getBytes());
    } catch (IOException | NullPointerException e) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_JSON, "The body is not valid JSON");
      return;
    }
    // Checked once the body is known to be JSON, before its shape, in the order protocol.md gives.
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null && !IdempotencyKeys.isValid(key)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          IDEMPOTENCY_KEY + " must be " + IdempotencyKeys.RULE);
      return;
    }
    JsonObject body = shaped(ctx, parsed);
    if (body == null) {
      return;
    }
    String type = body.getString("event");
    String data = Json.encode(body.getValue("data"));
    Grants grants = RequestGrants.of(ctx);
    PublishCreator creator = PublishCreator.of(grants, () -> addresses.apply(ctx));
    log.append(new PublishRequest(ctx.pathParam("topic"), type, data, key, PublishCreator.keyScope(grants),
            creator.id(), creator.rateExempt()))
        .onSuccess(reply -> {
          if (reply.replayed()) {
            ctx.response().putHeader(REPLAYED, "true");
          }
          JsonResponses.json(ctx.response(), 202, reply.toClientJson());
        })
        .onFailure(err -> JsonResponses.error(ctx.response(), BusErrors.code(err),
            BusErrors.message(err, "sse", timeout)));
  }

  /**
   * The parsed body if it is a valid event, its {@code event} a string or absent; else answers 400
   * and returns null.
   */
  private static JsonObject shaped(RoutingContext ctx, Object parsed) {
    if (!(parsed instanceof JsonObject body)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          "The body must be a JSON object {\"event\": \"<optional type>\", \"data\": <any JSON>}");
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

  /** The body handler fails the request with 413 when the body is over the limit. */
  void failure(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      return;
    }
    if (ctx.statusCode() == 413) {
      String topic = ctx.pathParam("topic");
      LIMITS.hit("publish-too-large", LogFields.of(LogFields.TOPIC, topic), "Refusing a publish to topic {}"
          + " with 413: a body over {} bytes (SSE_MAX_BODY_BYTES)", topic, maxBodyBytes);
      JsonResponses.error(ctx.response(), ErrorCode.TOO_LARGE, "The body is over the size limit");
    } else if (ctx.statusCode() == 400) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "Malformed request body");
    } else {
      ctx.next();
    }
  }
}
