package io.switchboard.gateway.transport;

import io.switchboard.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** JsonResponses writes JSON bodies and documented JSON errors. */
public final class JsonResponses {

  private JsonResponses() {
  }

  public static Future<Void> json(HttpServerResponse response, int status, JsonObject body) {
    return response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  public static Future<Void> error(HttpServerResponse response, ErrorCode code, String message) {
    return json(response, code.httpStatus(), code.toJson(message));
  }
}
