package io.switchboard.gateway.transport;

import io.switchboard.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** JsonResponses writes JSON bodies and documented JSON errors. */
public final class JsonResponses {

  private JsonResponses() {
  }

  public static Future<Void> json(HttpServerResponse response, int status, JsonObject body) {
    Buffer bytes = body.toBuffer();
    if (!response.isChunked()) {
      // Set here rather than by Vert.x, which leaves it out of the answer to a HEAD.
      response.putHeader("Content-Length", String.valueOf(bytes.length()));
    }
    return response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(bytes);
  }

  public static Future<Void> error(HttpServerResponse response, ErrorCode code, String message) {
    return json(response, code.httpStatus(), code.toJson(message));
  }
}
