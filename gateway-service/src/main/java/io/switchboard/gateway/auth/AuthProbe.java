package io.switchboard.gateway.auth;

import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * AuthProbe answers {@code GET /api/auth} with what the request's credentials allow: a page or a
 * client finds out with one request, and no error, whether the gateway needs a token and whether
 * the one it holds is accepted. In {@code AUTH_MODE=open} the answer is {@code {"mode":"open"}};
 * in {@code jwt} mode a request without valid credentials was refused {@code 401} before this
 * handler, and one with them learns its kind, and for a token its user, expiry and claims.
 */
public final class AuthProbe implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    JsonResponses.json(ctx.response(), 200, describe(RequestGrants.of(ctx)));
  }

  /** The answer for {@code grants}. */
  static JsonObject describe(Grants grants) {
    return switch (grants.kind()) {
      case OPEN -> new JsonObject().put("mode", "open");
      case API_KEY -> new JsonObject().put("mode", "jwt").put("kind", "api-key").put("admin", true);
      case USER -> new JsonObject().put("mode", "jwt").put("kind", "user")
          .put("user", grants.sub())
          .put("exp", grants.exp())
          .put("subscribe", new JsonArray(grants.subscribe().patterns()))
          .put("publish", new JsonArray(grants.publish().patterns()))
          .put("rooms", new JsonArray(grants.rooms().patterns()))
          .put("admin", grants.admin());
    };
  }
}
