package io.switchboard.gateway.sse;

import io.switchboard.gateway.node.SseConfig;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.auth.Permissions;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.BusErrors;
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
 *
 * <p>The request's grants must allow reading the topic's history: a token that may stream the
 * topic, an admin token or an API key.
 */
final class TopicEventsHandler implements Handler<RoutingContext> {

  /** The most events one response holds, and the default. */
  static final int MAX_LIMIT = HistoryPage.MAX_EVENTS;

  private final TopicLog log;
  private final Duration timeout;

  TopicEventsHandler(TopicLog log, SseConfig config) {
    this.log = log;
    this.timeout = config.requestTimeout();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!Topics.isValid(topic)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC,
          Topics.NAME_RULE);
      return;
    }
    if (!RequestGrants.of(ctx).mayReadHistory(topic)) {
      Permissions.forbid(ctx, "Not allowed to read the history of topic '" + topic + "'");
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
    log.read(topic, after, limit)
        .onSuccess(page -> JsonResponses.json(ctx.response(), 200, toResponse(topic, requested, page)))
        .onFailure(err -> JsonResponses.error(ctx.response(), BusErrors.code(err),
            BusErrors.message(err, "sse", timeout)));
  }

  private static JsonObject toResponse(String topic, String after, HistoryPage page) {
    JsonArray events = new JsonArray();
    EventId lastEventId = page.resumeFrom();
    for (StoredEvent stored : page.events()) {
      JsonObject event = new JsonObject().put("id", stored.id().toString());
      if (stored.event() != null) {
        event.put("event", stored.event());
      }
      try {
        event.put("data", Json.decodeValue(stored.data()));
      } catch (DecodeException e) {
        event.put("data", stored.data());
      }
      events.add(event);
      lastEventId = stored.id();
    }
    JsonObject response = new JsonObject()
        .put("topic", topic)
        .put("after", after)
        .put("historyLost", page.lost())
        .put("events", events)
        .put("lastEventId", lastEventId == null ? null : lastEventId.toString())
        .put("more", page.more());
    if (page.lostReason() != null) {
      response.put("reason", page.lostReason());
    }
    return response;
  }
}
