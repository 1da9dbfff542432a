package io.switchboard.bench;

import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;

/** Urls turns the URLs given on the command line into Vert.x connect options. */
public final class Urls {

  private Urls() {
  }

  public static WebSocketConnectOptions webSocket(String url) {
    URI uri = URI.create(url);
    return new WebSocketConnectOptions()
        .setHost(uri.getHost())
        .setPort(port(uri))
        .setURI(pathAndQuery(uri));
  }

  public static RequestOptions request(String url) {
    URI uri = URI.create(url);
    return new RequestOptions()
        .setHost(uri.getHost())
        .setPort(port(uri))
        .setURI(pathAndQuery(uri));
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? 443 : 80;
  }

  private static String pathAndQuery(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }
}
