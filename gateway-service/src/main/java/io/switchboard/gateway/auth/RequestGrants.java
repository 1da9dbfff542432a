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

  /**
   * The grants of the request. A route reached without authentication (open mode, or a route that
   * no handler authenticated) is allowed everything, as open mode is.
   */
  public static Grants of(RoutingContext ctx) {
    Grants grants = ctx.get(KEY);
    return grants != null ? grants : Grants.open();
  }
}
