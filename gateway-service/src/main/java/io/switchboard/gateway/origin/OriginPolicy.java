package io.switchboard.gateway.origin;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.gateway.node.OriginsConfig;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OriginPolicy is the gateway's first handler. A request whose {@code Origin} header names an
 * origin that may not use the gateway gets {@code 403 bad-origin}, whatever it asks for: a
 * WebSocket upgrade, a stream, the API or a page. A request without {@code Origin} (a server, curl)
 * passes untouched. On the resources other origins may read (see {@link CrossOrigin}) an allowed
 * origin gets the CORS headers.
 *
 * <p>Allowed are the gateway's own origin, that of its pages, which is the origin whose host and
 * port are those the request was sent to (its {@code Host}); and the origins of
 * {@code ALLOWED_ORIGINS}, or every origin when it is {@code *}.
 */
public final class OriginPolicy implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(OriginPolicy.class);
  private static final LimitLog REFUSALS = new LimitLog(LOG);
  private static final int LOGGED_CHARS = 200;

  private final OriginsConfig config;

  public OriginPolicy(OriginsConfig config) {
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    boolean shared = CrossOrigin.isShared(ctx.normalizedPath());
    if (shared) {
      // Caches must not give a response made for one origin to another, or to a same-origin page.
      ctx.response().putHeader(CrossOrigin.VARY, "Origin");
    }
    String origin = request.getHeader("Origin");
    if (origin == null) {
      ctx.next();
      return;
    }
    if (!allows(origin, request.authority())) {
      refuse(ctx, origin);
      return;
    }
    if (shared) {
      CrossOrigin.allow(ctx.response(), origin);
    }
    ctx.next();
  }

  /** Whether a request for {@code authority} may come from a page of {@code origin}. */
  private boolean allows(String origin, HostAndPort authority) {
    if (config.anyOrigin()) {
      return true;
    }
    WebOrigin parsed = WebOrigin.parse(origin);
    return parsed != null && (parsed.isServedAt(authority) || config.allowed().contains(parsed));
  }

  private static void refuse(RoutingContext ctx, String origin) {
    HttpServerRequest request = ctx.request();
    REFUSALS.hit(ErrorCode.BAD_ORIGIN.id(), "refused {} {} from origin {} sent to host {}: neither the gateway's own"
        + " origin nor one of {}", request.method(), request.path(), clip(origin),
        clip(request.getHeader("Host")), OriginsConfig.VARIABLE);
    JsonResponses.error(ctx.response(), ErrorCode.BAD_ORIGIN,
        "Origin " + clip(origin) + " may not use this gateway; see " + OriginsConfig.VARIABLE);
  }

  private static String clip(String text) {
    return text == null || text.length() <= LOGGED_CHARS ? text : text.substring(0, LOGGED_CHARS) + "…";
  }
}
