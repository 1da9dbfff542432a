package io.switchboard.gateway.transport;

import io.switchboard.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** JsonResponses writes JSON bodies and documented JSON errors. */
public final class JsonResponses {

  public static final String RETRY_AFTER = "Retry-After";

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

  /** The error's status and body, with {@code Retry-After} when the code has one. */
  public static Future<Void> error(HttpServerResponse response, ErrorCode code, String message) {
    if (code.retryAfterSeconds() > 0) {
      response.putHeader(RETRY_AFTER, String.valueOf(code.retryAfterSeconds()));
    }
    return json(response, code.httpStatus(), code.toJson(message));
  }
}
