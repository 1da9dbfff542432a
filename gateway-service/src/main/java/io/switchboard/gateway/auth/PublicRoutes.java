package io.switchboard.gateway.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * PublicRoutes names what needs no credentials with {@code AUTH_MODE=jwt}, and where a token may
 * come as the {@code token} query parameter.
 *
 * <p>Public are the reads of the probes and of what a browser loads before it has a token: the
 * landing page, the demo pages, their scripts and stylesheets. Everything else needs credentials,
 * unknown paths included, so a route added later is protected unless it is listed here.
 */
public final class PublicRoutes {

  private PublicRoutes() {
  }

  /**
   * Whether {@code method} on {@code path} needs no credentials: GET or HEAD of {@code /health},
   * {@code /ready}, {@code /}, a page ({@code /<name>.html}), {@code /js/*}, {@code /css/*} or
   * {@code /favicon.ico}. The path must be normalized, as the router matches it.
   */
  public static boolean isPublic(HttpMethod method, String path) {
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return false;
    }
    return switch (path) {
      case "/", "/health", "/ready", "/favicon.ico" -> true;
      default -> path.startsWith("/js/") || path.startsWith("/css/") || isPage(path);
    };
  }

  /** A page at the top of the web root: {@code /chat.html}, not {@code /a/chat.html}. */
  private static boolean isPage(String path) {
    return path.endsWith(".html") && path.indexOf('/', 1) < 0 && path.length() > ".html".length() + 1;
  }

  /**
   * Whether the request may carry its token as the {@code token} query parameter: a GET that opens
   * a WebSocket or an event stream, which browsers open without custom headers, or the HEAD that
   * answers as that GET. These are the GETs of {@code /ws/*}, {@code /sse}, {@code /sse/*} and
   * {@code /api/cluster/stream}, and any GET that accepts {@code text/event-stream}.
   */
  public static boolean takesQueryToken(HttpServerRequest request, String path) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      return false;
    }
    return PresentedCredentials.queryTokenAllowed(request) || path.startsWith("/ws/")
        || path.equals("/sse") || path.startsWith("/sse/") || path.equals("/api/cluster/stream");
  }
}
