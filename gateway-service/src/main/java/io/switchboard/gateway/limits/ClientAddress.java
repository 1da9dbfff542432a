package io.switchboard.gateway.limits;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * ClientAddress finds the address of the client behind a request: the direct peer, unless the
 * peer is a trusted proxy, in which case the rightmost address of {@code X-Forwarded-For} that is
 * not itself a trusted proxy. Entries to the left of it were written by the client and prove
 * nothing; an entry that is not an IP address stops the walk at the hop that wrote it.
 */
public final class ClientAddress {

  private ClientAddress() {
  }

  /** The client's address as text, IPv4-mapped IPv6 written as IPv4; null without a peer address. */
  public static String of(HttpServerRequest request, TrustedProxies proxies) {
    SocketAddress remote = request.remoteAddress();
    byte[] peer = remote == null ? null : AddressRange.bytes(remote.hostAddress());
    if (peer == null) {
      return remote == null ? null : remote.hostAddress();
    }
    if (proxies.isEmpty() || !proxies.trusts(peer)) {
      return AddressRange.text(peer);
    }
    return AddressRange.text(forwardedClient(peer, request.headers().getAll("X-Forwarded-For"), proxies));
  }

  /** Walks {@code X-Forwarded-For} from the right, starting from the trusted {@code peer}. */
  static byte[] forwardedClient(byte[] peer, List<String> headers, TrustedProxies proxies) {
    byte[] client = peer;
    for (int h = headers.size() - 1; h >= 0; h--) {
      String[] hops = headers.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        byte[] hop = AddressRange.bytes(withoutPort(hops[i].trim()));
        if (hop == null) {
          return client;
        }
        client = hop;
        if (!proxies.trusts(hop)) {
          return client;
        }
      }
    }
    return client;
  }

  /** {@code 10.0.0.7:5000} and {@code [2001:db8::7]:5000} without the port; others unchanged. */
  static String withoutPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }
}
