package io.switchboard.gateway.origin;

import io.vertx.core.http.HttpServerResponse;

/**
 * CrossOrigin says which of the gateway's resources other origins may read, and writes the CORS
 * headers that let them: the SDK ({@code /js/*}), the streams ({@code /sse}, {@code /sse/*}) and
 * the API ({@code /api/*}). Pages, health checks and WebSocket upgrades get none: a browser checks
 * no CORS header on a WebSocket, and pages are not meant to be read by other sites.
 */
final class CrossOrigin {

  static final String VARY = "Vary";
  static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
  /** Response headers the SDK or other clients read beyond the CORS-safelisted ones. */
  static final String EXPOSED = "Idempotent-Replayed, Retry-After";

  private CrossOrigin() {
  }

  /** Whether {@code path} (normalized) is readable from other origins. */
  static boolean isShared(String path) {
    return path.startsWith("/js/") || path.startsWith("/api/")
        || path.equals("/sse") || path.startsWith("/sse/");
  }

  /**
   * Lets {@code origin} read the response. The origin is echoed rather than {@code *} so that
   * requests carrying credentials (an {@code Authorization} header) are readable too.
   */
  static void allow(HttpServerResponse response, String origin) {
    response.putHeader(ALLOW_ORIGIN, origin).putHeader(EXPOSE_HEADERS, EXPOSED);
  }
}
