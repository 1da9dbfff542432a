package io.switchboard.gateway.origin;

import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * WebOrigin is an origin as browsers send it in the {@code Origin} header, {@code scheme://host[:port]},
 * kept in one form so that two spellings of the same origin compare equal: scheme and host in lower
 * case, and the port left out when it is the scheme's default.
 *
 * @param scheme {@code http}, {@code https}, or another scheme such as an extension's
 * @param host host name or IP address; an IPv6 address keeps its brackets
 * @param port the port, or -1 when the scheme's default (or a scheme without one)
 */
public record WebOrigin(String scheme, String host, int port) {

  /**
   * The origin {@code text} names, or null when it is not one: the opaque {@code null} origin of a
   * sandboxed page or a local file, {@code file://}, or anything with a path, query or user.
   */
  public static WebOrigin parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 2048) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return null;
    }
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return null;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() == defaultPort(scheme) ? -1 : uri.getPort();
    return new WebOrigin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
  }

  /**
   * Whether a request for {@code authority} (its {@code Host}) comes from this origin's own pages:
   * same host and port. A {@code Host} without a port stands for the default port of this origin's
   * scheme, so that {@code https://example.org} matches {@code Host: example.org} behind a proxy
   * that terminates TLS. Only http and https pages have the gateway's origin.
   */
  public boolean isServedAt(HostAndPort authority) {
    int defaultPort = defaultPort(scheme);
    if (authority == null || defaultPort < 0) {
      return false;
    }
    int origin = port < 0 ? defaultPort : port;
    int requested = authority.port() < 0 ? defaultPort : authority.port();
    return origin == requested && host.equalsIgnoreCase(authority.host());
  }

  /** The origin as browsers write it, e.g. {@code https://app.example.org:8443}. */
  @Override
  public String toString() {
    return scheme + "://" + host + (port < 0 ? "" : ":" + port);
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> -1;
    };
  }
}
