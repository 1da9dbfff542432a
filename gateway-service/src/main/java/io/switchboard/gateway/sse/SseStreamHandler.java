package io.switchboard.gateway.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SseStreamHandler answers {@code GET /sse} (the {@value Topics#TICKS} topic) and
 * {@code GET /sse/{topic}} with an event stream, resumed after {@code Last-Event-ID} (or
 * {@code ?lastEventId=} on a first connect) when given.
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

  @Override
  public void handle(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (fixedTopic != null) {
      // The router also matches "/sse/" here: an empty topic name, not the default stream.
      topic = ctx.request().path().endsWith("/") ? "" : fixedTopic;
    }
    if (!Topics.isValid(topic)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC,
          Topics.NAME_RULE);
      return;
    }
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = ctx.request().getParam("lastEventId");
    }
    if (lastEventId != null && lastEventId.isEmpty()) {
      lastEventId = null;
    }
    SseStream[] stream = new SseStream[1];
    Supplier<Future<?>> ender = () -> stream[0] == null ? Future.succeededFuture() : stream[0].end();
    if (!connections.addStream(ender)) {
      JsonResponses.error(ctx.response(), ErrorCode.SERVICE_UNAVAILABLE, "The gateway is shutting down");
      return;
    }
    String finalTopic = topic;
    stream[0] = hub.open(topic, ctx.request(), ctx.response(), lastEventId, () -> {
      connections.remove(ender);
      LOG.debug("SSE stream of topic {} ended", finalTopic);
    });
  }
}
