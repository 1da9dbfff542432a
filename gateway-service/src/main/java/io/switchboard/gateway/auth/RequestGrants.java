package io.switchboard.gateway.auth;

import io.vertx.ext.web.RoutingContext;

/**
 * RequestGrants carries what a request's credentials allow from the authentication handler, which
 * runs first on every route that is not public, to the route's own handler.
 */
public final class RequestGrants {

  private static final String KEY = "switchboard.grants";

  private RequestGrants() {
  }

  /** Records the grants of an authenticated request. */
  public static void put(RoutingContext ctx, Grants grants) {
    ctx.put(KEY, grants);
  }

  /** The grants of the request, or null when no authentication ran for it (yet). */
  public static Grants peek(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /**
   * The grants of the request. The authentication handler runs in both modes (in open mode it
   * records {@link Grants#open()}), so a route reached without it is a wiring mistake: it fails
   * closed, with an exception the router answers as {@code 500 internal}.
   */
  public static Grants of(RoutingContext ctx) {
    Grants grants = ctx.get(KEY);
    if (grants == null) {
      throw new IllegalStateException("No authentication ran for " + ctx.request().path());
    }
    return grants;
  }
}
