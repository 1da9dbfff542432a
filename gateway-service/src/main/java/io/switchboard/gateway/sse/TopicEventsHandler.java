package io.switchboard.gateway.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.http.JsonResponses;
import io.switchboard.gateway.ws.BusErrors;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * TopicEventsHandler answers {@code GET /api/topics/{topic}/events?after=<id>&limit=<n>} with the
 * retained events after that id as JSON, for clients that poll and for debugging.
 */
final class TopicEventsHandler implements Handler<RoutingContext> {

  /** The most events one response holds, and the default. */
  static final int MAX_LIMIT = 1000;

  private final SseBackend backend;
  private final Duration timeout;

  TopicEventsHandler(SseBackend backend, SseConfig config) {
    this.backend = backend;
    this.timeout = config.requestTimeout();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!Topics.isValid(topic)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC,
          "A topic name is 1 to 128 characters of A-Z a-z 0-9 . _ -");
      return;
    }
    int limit = MAX_LIMIT;
    String limitText = ctx.request().getParam("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
            "limit must be an integer from 1 to " + MAX_LIMIT);
        return;
      }
    }
    String after = ctx.request().getParam("after");
    if (after != null && after.isEmpty()) {
      after = null;
    }
    String requested = after;
    backend.history(topic, after, limit)
        .onSuccess(page -> JsonResponses.json(ctx.response(), 200, toResponse(topic, requested, page)))
        .onFailure(err -> JsonResponses.error(ctx.response(), BusErrors.code(err),
            BusErrors.message(err, "sse", timeout)));
  }

  private static JsonObject toResponse(String topic, String after, JsonObject page) {
    JsonArray events = new JsonArray();
    String lastEventId = page.getString("resumeFrom");
    for (Object item : page.getJsonArray("events")) {
      JsonObject stored = (JsonObject) item;
      JsonObject event = new JsonObject().put("id", stored.getString("id"));
      if (stored.getString("event") != null) {
        event.put("event", stored.getString("event"));
      }
      try {
        event.put("data", Json.decodeValue(stored.getString("data")));
      } catch (DecodeException e) {
        event.put("data", stored.getString("data"));
      }
      events.add(event);
      lastEventId = stored.getString("id");
    }
    JsonObject response = new JsonObject()
        .put("topic", topic)
        .put("after", after)
        .put("historyLost", page.getBoolean("lost", false))
        .put("events", events)
        .put("lastEventId", lastEventId)
        .put("more", page.getBoolean("more", false));
    if (page.getString("lostReason") != null) {
      response.put("reason", page.getString("lostReason"));
    }
    return response;
  }
}
