package io.switchboard.gateway.transport;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * HeadRequests makes {@code HEAD} answered wherever {@code GET} is. Vert.x Web routes a
 * {@code HEAD} only to routes that name it, and Vert.x core already drops the body of a response to
 * a {@code HEAD}; so a route that answers {@code GET} needs only to accept {@code HEAD} too. A
 * handler whose {@code GET} opens something long-lived, a stream, checks {@link #isHead} and
 * answers the headers alone.
 */
public final class HeadRequests {

  private HeadRequests() {
  }

  /** Lets every route of {@code router} that accepts {@code GET} accept {@code HEAD}; call it last. */
  public static void answerWhereGet(Router router) {
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> methods = route.methods();
      if (methods != null && methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD)) {
        route.method(HttpMethod.HEAD);
      }
    }
  }

  public static boolean isHead(HttpServerRequest request) {
    return request.method() == HttpMethod.HEAD;
  }

  /**
   * Goes before a {@code StaticHandler} serving UTF-8 files with {@code indexPage}: Vert.x's
   * answers a {@code HEAD} without the {@code Content-Type} it gives the {@code GET}; this puts it back.
   */
  public static Handler<RoutingContext> staticFileTypes(String indexPage) {
    return ctx -> {
      if (isHead(ctx.request())) {
        HttpServerResponse response = ctx.response();
        String path = ctx.normalizedPath();
        String type = MimeMapping.mimeTypeForFilename(path.endsWith("/") ? path + indexPage : path);
        response.headersEndHandler(v -> {
          if (type != null && response.getStatusCode() == 200 && !response.headers().contains("Content-Type")) {
            response.putHeader("Content-Type", type.startsWith("text") ? type + ";charset=UTF-8" : type);
          }
        });
      }
      ctx.next();
    };
  }
}
