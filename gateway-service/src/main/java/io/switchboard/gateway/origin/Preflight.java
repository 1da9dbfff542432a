package io.switchboard.gateway.origin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Preflight answers the {@code OPTIONS} request a browser sends before a cross-origin request that
 * is not a simple one (a JSON publish, a request with {@code Authorization}): {@code 204} with the
 * methods and headers the gateway accepts. It runs after {@link OriginPolicy}, which has refused a
 * disallowed origin already and given an allowed one its {@code Access-Control-Allow-Origin}. Any
 * other {@code OPTIONS} request goes on to the routes, which answer 405 or 404. Mount it for
 * {@code OPTIONS} only.
 */
public final class Preflight implements Handler<RoutingContext> {

  static final String ALLOW_METHODS = "GET, HEAD, POST, OPTIONS";
  static final String ALLOW_HEADERS = "Authorization, X-API-Key, Content-Type, Last-Event-ID, Idempotency-Key";
  /** How long a browser may reuse the answer: short enough for a change of ALLOWED_ORIGINS to show. */
  static final String MAX_AGE_SECONDS = "600";

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.getHeader("Access-Control-Request-Method") == null
        || !CrossOrigin.isShared(ctx.normalizedPath())) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(204)
        .putHeader("Access-Control-Allow-Methods", ALLOW_METHODS)
        .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
        .putHeader("Access-Control-Max-Age", MAX_AGE_SECONDS)
        .end();
  }
}
