package io.switchboard.gateway.auth;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AuthenticationHandler runs before the routes (only a router-wide handler mounted ahead of it
 * comes earlier): it finds out what the request's credentials allow and records it for the route's
 * own handler ({@link RequestGrants}), or answers {@code 401 unauthorized} before any route,
 * upgrade or stream starts.
 *
 * <p>With {@code AUTH_MODE=open} every request gets {@link Grants#open()}. With
 * {@code AUTH_MODE=jwt} the {@linkplain PublicRoutes public routes} go on without credentials and
 * without grants; every other request needs a token or an API key. A request whose answer waits
 * for the issuer's keys is paused meanwhile, so that neither its body nor a WebSocket upgrade
 * loses bytes.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationHandler.class);
  static final String CHALLENGE = "Bearer realm=\"switchboard\"";

  private final Authenticator authenticator;
  private final boolean open;

  private AuthenticationHandler(Authenticator authenticator, boolean open) {
    this.authenticator = authenticator;
    this.open = open;
  }

  /** The handler of a node's one {@code authenticator}, for the mode it was made for. */
  public static AuthenticationHandler create(Authenticator authenticator, AuthConfig.Mode mode) {
    return new AuthenticationHandler(authenticator, mode == AuthConfig.Mode.OPEN);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (open) {
      RequestGrants.put(ctx, Grants.open());
      ctx.next();
      return;
    }
    HttpServerRequest request = ctx.request();
    // The path the router matches routes on, so that no spelling of a path reaches a route unchecked.
    String path = ctx.normalizedPath();
    if (PublicRoutes.isPublic(request.method(), path)) {
      ctx.next();
      return;
    }
    Future<Grants> grants = authenticator.authenticate(request, PublicRoutes.takesQueryToken(request, path));
    if (grants.isComplete()) {
      decide(ctx, grants);
      return;
    }
    request.pause();
    grants.onComplete(ar -> {
      if (ctx.response().closed()) {
        return;
      }
      // The next handler takes the body or the upgrade in this turn; resumed bytes come later.
      request.resume();
      decide(ctx, grants);
    });
  }

  private static void decide(RoutingContext ctx, Future<Grants> grants) {
    if (grants.succeeded()) {
      RequestGrants.put(ctx, grants.result());
      ctx.next();
    } else if (grants.cause() instanceof AuthFailure failure) {
      refuse(ctx, failure);
    } else {
      ctx.fail(grants.cause());
    }
  }

  private static void refuse(RoutingContext ctx, AuthFailure failure) {
    // The path only: the query may hold the token.
    LOG.debug("Refused {} {}: {}", ctx.request().method(), ctx.normalizedPath(), failure.reason());
    if (failure.reason() == AuthFailure.Reason.UNAVAILABLE) {
      JsonResponses.error(ctx.response(), ErrorCode.SERVICE_UNAVAILABLE, failure.getMessage());
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
    JsonResponses.error(ctx.response(), ErrorCode.UNAUTHORIZED, failure.getMessage());
  }
}
