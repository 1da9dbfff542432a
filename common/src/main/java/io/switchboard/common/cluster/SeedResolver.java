package io.switchboard.common.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * SeedResolver turns the {@code CLUSTER_MEMBERS} seeds into the socket addresses to look for
 * members at, asking DNS afresh on every call.
 *
 * <p>A seed name may stand for many members: a scaled docker-compose service is one name with one
 * A record per container, and containers come and go. The JVM's own resolver caches an answer for
 * 30 s, and a name that did not exist yet for 10 s, so a member that started before its peers
 * would keep seeing a world without them. Names are therefore asked of the DNS servers in
 * {@code /etc/resolv.conf} directly, with every A record of the answer; a name DNS does not know
 * (one from {@code /etc/hosts}, such as {@code localhost}) falls back to the JVM's resolver.
 *
 * <p>An IP or loopback seed without a port stands for {@code portCount} ports from the configured
 * one, so several members can share a host. A DNS name without a port stands for one member per
 * address, at the configured port: a member's search for other clusters waits up to 5 s on each
 * address nobody listens at, and ten ports for each of many addresses would make one search
 * take minutes. Blocking: call it on a cluster or worker thread, never an event loop.
 */
final class SeedResolver {

  private final List<Seed> seeds;
  private final int defaultPort;
  private final int portCount;

  SeedResolver(List<String> members, int defaultPort, int portCount) {
    this.seeds = members.stream().map(Seed::parse).toList();
    this.defaultPort = defaultPort;
    this.portCount = portCount;
  }

  /** A seed as configured: a host (IP literal or name) and a port, or -1 for the default range. */
  record Seed(String host, int port) {

    static Seed parse(String member) {
      int colon = member.lastIndexOf(':');
      if (colon > 0 && member.indexOf(':') == colon) {
        return new Seed(member.substring(0, colon), Integer.parseInt(member.substring(colon + 1)));
      }
      String host = member.startsWith("[") && member.endsWith("]")
          ? member.substring(1, member.length() - 1) : member;
      return new Seed(host, -1);
    }

    /** A DNS name, not an IP literal or a loopback name. */
    boolean isName() {
      return !host.matches("[0-9.]+") && !host.contains(":") && !ClusterConfig.isLoopbackName(host);
    }
  }

  /** True when some seed is a DNS name, whose members can change while the cluster runs. */
  boolean hasNames() {
    return seeds.stream().anyMatch(Seed::isName);
  }

  /** Every address a member may listen on, for the discovery of members. */
  Set<InetSocketAddress> candidates() {
    Set<InetSocketAddress> out = new LinkedHashSet<>();
    for (Seed seed : seeds) {
      int first = seed.port() > 0 ? seed.port() : defaultPort;
      int count = seed.port() > 0 || seed.isName() ? 1 : portCount;
      for (InetAddress address : resolve(seed)) {
        for (int i = 0; i < count; i++) {
          out.add(new InetSocketAddress(address, first + i));
        }
      }
    }
    return out;
  }

  /**
   * The addresses that seed names stand for now, each with the one port a member there listens on
   * first: the members a fully formed cluster would hold. IP seeds are left out, since nothing
   * says whether a member listens behind each of their ports.
   */
  Set<InetSocketAddress> namedMembers() {
    Set<InetSocketAddress> out = new LinkedHashSet<>();
    for (Seed seed : seeds) {
      if (seed.isName()) {
        int port = seed.port() > 0 ? seed.port() : defaultPort;
        for (InetAddress address : resolve(seed)) {
          out.add(new InetSocketAddress(address, port));
        }
      }
    }
    return out;
  }

  private static List<InetAddress> resolve(Seed seed) {
    try {
      if (!seed.isName()) {
        return List.of(InetAddress.getByName(seed.host()));
      }
      List<InetAddress> fresh = lookupA(seed.host());
      return fresh.isEmpty() ? List.of(InetAddress.getAllByName(seed.host())) : fresh;
    } catch (UnknownHostException e) {
      // Not there yet: a container that has not started has no record.
      return List.of();
    }
  }

  /** Every A record of a name from the system's DNS servers, uncached; empty when unknown. */
  static List<InetAddress> lookupA(String name) {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(Context.PROVIDER_URL, "dns:");
    env.put("com.sun.jndi.dns.timeout.initial", "500");
    env.put("com.sun.jndi.dns.timeout.retries", "2");
    List<InetAddress> out = new ArrayList<>();
    DirContext context = null;
    try {
      context = new InitialDirContext(env);
      Attributes attributes = context.getAttributes(name, new String[] {"A"});
      Attribute records = attributes.get("A");
      if (records != null) {
        NamingEnumeration<?> values = records.getAll();
        while (values.hasMore()) {
          out.add(InetAddress.getByName(String.valueOf(values.next())));
        }
      }
    } catch (NamingException | UnknownHostException | RuntimeException e) {
      // Unknown to DNS, or no DNS server answered: the caller falls back to the JVM's resolver.
      return List.of();
    } finally {
      if (context != null) {
        try {
          context.close();
        } catch (NamingException ignored) {
          // Nothing held open.
        }
      }
    }
    return out;
  }

  /** Whether something accepts a TCP connection at {@code address} within {@code timeoutMs}. */
  static boolean listens(InetSocketAddress address, int timeoutMs) {
    try (Socket socket = new Socket()) {
      socket.connect(address, timeoutMs);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
