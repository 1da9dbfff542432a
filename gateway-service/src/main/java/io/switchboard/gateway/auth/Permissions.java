package io.switchboard.gateway.auth;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.ext.web.RoutingContext;

/**
 * Permissions refuses what a request's grants do not allow: {@code 403 forbidden}, with a message
 * naming what was refused and never the credentials.
 */
public final class Permissions {

  private Permissions() {
  }

  /**
   * Goes on to the route's handler only for an admin token or an API key (or in open mode): the
   * operator endpoints {@code /api/rooms*} and {@code /api/cluster*}.
   */
  public static void requireAdmin(RoutingContext ctx) {
    if (RequestGrants.of(ctx).isAdmin()) {
      ctx.next();
    } else {
      forbid(ctx, ctx.normalizedPath() + " needs an admin token or an API key");
    }
  }

  /** Answers {@code 403 forbidden} with {@code message}. */
  public static void forbid(RoutingContext ctx, String message) {
    JsonResponses.error(ctx.response(), ErrorCode.FORBIDDEN, message);
  }
}
