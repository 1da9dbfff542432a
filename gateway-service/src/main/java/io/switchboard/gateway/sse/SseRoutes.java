package io.switchboard.gateway.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.node.SseConfig;
import io.switchboard.common.sse.Topics;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.topic.PublishBudget;
import io.switchboard.gateway.topic.QueuedBytes;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Function;

/** SseRoutes wires the gateway's SSE streams and topic API onto its router. */
public final class SseRoutes {

  /** Matches any path segment, so that a bad topic name gets a 400 rather than a 404. */
  private static final String TOPIC = "(?<topic>[^/]*)";

  private final SseConfig config;
  private final TopicLog log;
  private final SseHub hub;
  private final ConnectionRegistry connections;
  private final PublishBudget publishes;
  private final Function<RoutingContext, String> clientAddresses;

  /**
   * Routes of one event loop; {@code counts}, {@code queued}, {@code delivered} and {@code publishes}
   * are the node's.
   * {@code clientAddresses} gives a request's client address, who creates topics in open mode;
   * {@code log} is the loop's, shared with its other transports of topics.
   */
  public SseRoutes(Vertx vertx, SseConfig config, ConnectionRegistry connections, StreamCounts counts,
      QueuedBytes queued, RateMeter delivered, PublishBudget publishes, Function<RoutingContext, String> clientAddresses,
      TopicLog log) {
    this.config = config;
    this.log = log;
    this.hub = new SseHub(vertx, config, log, counts, queued, delivered);
    this.connections = connections;
    this.publishes = publishes;
    this.clientAddresses = clientAddresses;
  }

  /** Starts the loop's hub: its heartbeats. */
  public void start() {
    hub.start();
  }

  /**
   * Mounts the streams and the topic API; {@code admit} counts a stream under the connection limits,
   * once its topic is known to be valid and allowed.
   */
  public void mount(Router router, Handler<RoutingContext> admit) {
    SseStreamHandler ticks = new SseStreamHandler(hub, connections, Topics.TICKS);
    router.get("/sse").handler(ticks::check).handler(admit).handler(ticks);
    SseStreamHandler topics = new SseStreamHandler(hub, connections, null);
    router.getWithRegex("/sse/" + TOPIC).handler(topics::check).handler(admit).handler(topics);
    // Vert.x routes /api/topics//events as /api/topics/events: its empty topic is refused first.
    router.route("/api/topics/*").handler(SseRoutes::refuseEmptyTopic);
    PublishHandler publish = new PublishHandler(log, config, publishes, clientAddresses);
    // Two routes: Vert.x wants a body handler first on its route, and the checks come first so
    // that a bad topic or content type is refused before any body is read.
    router.postWithRegex("/api/topics/" + TOPIC + "/events").handler(publish::checkRequest);
    router.postWithRegex("/api/topics/" + TOPIC + "/events")
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .handler(publish::publish)
        .failureHandler(publish::failure);
    router.getWithRegex("/api/topics/" + TOPIC + "/events").handler(new TopicEventsHandler(log, config));
  }

  private static void refuseEmptyTopic(RoutingContext ctx) {
    // However the path is spelled (/api//topics//events, /api/./topics//events): an empty segment.
    if (ctx.request().path().contains("/topics//")) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_TOPIC, Topics.NAME_RULE);
    } else {
      ctx.next();
    }
  }
}
