package io.switchboard.gateway.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.Permissions;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.TokenExpiry;
import io.switchboard.gateway.node.ClosedConnections;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.transport.HeadRequests;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.transport.SseWriter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SseStreamHandler answers {@code GET /sse} (the {@value Topics#TICKS} topic) and
 * {@code GET /sse/{topic}} with an event stream, resumed after {@code Last-Event-ID} (or
 * {@code ?lastEventId=} on a first connect) when given; a {@code HEAD} with the stream's headers only.
 *
 * <p>The request's grants must allow streaming the topic; a stream opened with a token ends with a
 * {@code token-expired} event when the token expires. On shutdown every stream ends with a
 * {@code reconnect} event.
 */
final class SseStreamHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(SseStreamHandler.class);

  private final SseHub hub;
  private final ConnectionRegistry connections;
  private final String fixedTopic;

  /** A handler of the topic named in the path, or of {@code fixedTopic} when it is not null. */
  SseStreamHandler(SseHub hub, ConnectionRegistry connections, String fixedTopic) {
    this.hub = hub;
    this.connections = connections;
    this.fixedTopic = fixedTopic;
  }

  /**
   * Route handler before the connection limits: a bad topic name or a topic the grants do not allow
   * is refused before the request is counted, so that it gets its {@code 400} or {@code 403} however
   * many connections its client holds.
   */
  void check(RoutingContext ctx) {
    String topic = topicOf(ctx);
    if (!Topics.isValid(topic)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC,
          Topics.NAME_RULE);
      return;
    }
    if (!RequestGrants.of(ctx).mayStream(topic)) {
      Permissions.forbid(ctx, "Not allowed to stream topic '" + topic + "'");
      return;
    }
    ctx.next();
  }

  /** Route handler after {@link #check} and the connection limits: opens the stream. */
  @Override
  public void handle(RoutingContext ctx) {
    if (HeadRequests.isHead(ctx.request())) {
      SseWriter.head(ctx.response());
      return;
    }
    open(ctx, topicOf(ctx), RequestGrants.of(ctx));
  }

  private String topicOf(RoutingContext ctx) {
    if (fixedTopic == null) {
      return ctx.pathParam("topic");
    }
    // The router also matches "/sse/" here: an empty topic name, not the default stream.
    return ctx.request().path().endsWith("/") ? "" : fixedTopic;
  }

  private void open(RoutingContext ctx, String topic, Grants grants) {
    SseStream[] stream = new SseStream[1];
    TokenExpiry[] expiry = new TokenExpiry[1];
    // Run on shutdown: the client is asked to reconnect, to another gateway.
    Supplier<Future<?>> ender = () -> stream[0] == null ? Future.succeededFuture() : stream[0].reconnect();
    Supplier<Future<?>> disconnecter = () -> stream[0] == null ? Future.succeededFuture() : stream[0].disconnect();
    if (!connections.addStream(ender, grants, disconnecter)) {
      JsonResponses.error(ctx.response(), ErrorCode.SERVICE_UNAVAILABLE, "The gateway is shutting down");
      return;
    }
    stream[0] = hub.open(topic, ctx.request(), ctx.response(), lastEventId(ctx), () -> {
      connections.remove(ender, stream[0] == null ? ClosedConnections.CLIENT : stream[0].endReason());
      if (expiry[0] != null) {
        expiry[0].cancel();
      }
      LOG.atDebug().addKeyValue(LogFields.TOPIC, topic).log("SSE stream of topic {} ended", topic);
    });
    if (!stream[0].ended()) {
      // No warning: the stream ends at expiry, and its client reconnects with a fresh token.
      expiry[0] = TokenExpiry.watch(ctx.vertx(), grants, Duration.ZERO, () -> { },
          () -> stream[0].expire(grants.exp()));
    }
  }

  /** {@code Last-Event-ID}, else {@code ?lastEventId=}; null for a live-only stream. */
  private static String lastEventId(RoutingContext ctx) {
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = ctx.request().getParam("lastEventId");
    }
    return lastEventId == null || lastEventId.isEmpty() ? null : lastEventId;
  }
}
