package io.switchboard.gateway;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.service.FatalErrors;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RouterErrors answers, with a documented {@link ErrorCode}, the requests a {@link GatewayServer}'s
 * router has no route for, no route for with their method, or whose handler failed.
 */
final class RouterErrors {

  private static final Logger LOG = LoggerFactory.getLogger(RouterErrors.class);

  private RouterErrors() {
  }

  /**
   * Mounts the answers to 400, 413, 404, 405 and 500 on {@code router}, after every route: a request whose
   * client left (a body cut short by a closed connection) ends there, as nothing can be answered.
   */
  static void mount(Router router) {
    router.route().failureHandler(RouterErrors::dropWhenClientLeft);
    // A body handler fails its route with 413 over its limit, and 400 for a body it cannot read.
    router.errorHandler(413, ctx -> error(ctx, ErrorCode.TOO_LARGE, "The body is over the size limit"));
    router.errorHandler(400, ctx -> error(ctx, ErrorCode.BAD_REQUEST, "Malformed request"));
    router.errorHandler(404, ctx -> error(ctx, ErrorCode.NOT_FOUND, "No such resource: " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, ErrorCode.METHOD_NOT_ALLOWED,
        "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(500, ctx -> {
      // The router catches what a handler throws, an OutOfMemoryError too.
      FatalErrors.haltOnOutOfMemory(ctx.failure());
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      error(ctx, ErrorCode.INTERNAL, "Internal error");
    });
  }

  /**
   * A body cut short fails its route with status 200 and Vert.x's {@link HttpClosedException}, for
   * which no answer can go out; left to the router, that is logged as an unhandled exception.
   */
  private static void dropWhenClientLeft(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
      LOG.debug("Request {} {} ended: its client left", ctx.request().method(), ctx.request().path());
      return;
    }
    ctx.next();
  }

  private static void error(RoutingContext ctx, ErrorCode code, String message) {
    if (!ctx.response().headWritten()) {
      JsonResponses.error(ctx.response(), code, message);
    }
  }
}
