package io.switchboard.common.cluster;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;

/**
 * ClusterConfig is how a node joins the Hazelcast cluster and where its event bus listens.
 *
 * @param name Hazelcast cluster name ({@code CLUSTER_NAME})
 * @param host IP address bound and advertised by Hazelcast and by the event bus ({@code CLUSTER_HOST})
 * @param port first Hazelcast port tried; the next free one is taken when busy ({@code CLUSTER_PORT})
 * @param members TCP-IP discovery seeds, {@code host[:port]} ({@code CLUSTER_MEMBERS})
 * @param busPort event-bus TCP port, 0 for an ephemeral one ({@code CLUSTER_BUS_PORT})
 * @param heartbeatIntervalSeconds Hazelcast heartbeat period ({@code CLUSTER_HEARTBEAT_INTERVAL_SECONDS})
 * @param maxNoHeartbeatSeconds silence after which a member is dropped ({@code CLUSTER_MAX_NO_HEARTBEAT_SECONDS})
 * @param liteMember true for a Hazelcast lite member, which holds no partition of cluster state:
 *     gateways and echo services are lite, sse-service, signaling-service and the embedded process
 *     hold the data. Set by the process, not by a variable.
 * @param minDataMembers data members a side of the cluster needs to accept writes to history, rooms
 *     and idempotency keys; 1 turns the check off ({@code CLUSTER_MIN_DATA_MEMBERS}, see
 *     {@link DataQuorum})
 */
public record ClusterConfig(
    String name,
    String host,
    int port,
    List<String> members,
    int busPort,
    int heartbeatIntervalSeconds,
    int maxNoHeartbeatSeconds,
    boolean liteMember,
    int minDataMembers) {

  public static final String DEFAULT_NAME = "switchboard";
  public static final int DEFAULT_PORT = 5701;

  public ClusterConfig {
    members = List.copyOf(members);
  }

  /** A data member's configuration. */
  public ClusterConfig(String name, String host, int port, List<String> members, int busPort,
      int heartbeatIntervalSeconds, int maxNoHeartbeatSeconds) {
    this(name, host, port, members, busPort, heartbeatIntervalSeconds, maxNoHeartbeatSeconds, false);
  }

  /** A configuration that never refuses writes for lack of data members. */
  public ClusterConfig(String name, String host, int port, List<String> members, int busPort,
      int heartbeatIntervalSeconds, int maxNoHeartbeatSeconds, boolean liteMember) {
    this(name, host, port, members, busPort, heartbeatIntervalSeconds, maxNoHeartbeatSeconds, liteMember,
        1);
  }

  /** The same configuration for a lite member, or a data member. */
  public ClusterConfig asLiteMember(boolean lite) {
    return new ClusterConfig(name, host, port, members, busPort, heartbeatIntervalSeconds,
        maxNoHeartbeatSeconds, lite, minDataMembers);
  }

  /** The same configuration with another {@code CLUSTER_MIN_DATA_MEMBERS}. */
  public ClusterConfig withMinDataMembers(int min) {
    return new ClusterConfig(name, host, port, members, busPort, heartbeatIntervalSeconds,
        maxNoHeartbeatSeconds, liteMember, min);
  }

  /** Reads and validates the CLUSTER_* variables. */
  public static ClusterConfig from(Env env) {
    String name = env.string("CLUSTER_NAME", DEFAULT_NAME, "[A-Za-z0-9._-]{1,64}",
        "1 to 64 characters of A-Z a-z 0-9 . _ -");
    int port = env.integer("CLUSTER_PORT", DEFAULT_PORT, 1, 65535);
    List<String> members = env.list("CLUSTER_MEMBERS", List.of("127.0.0.1"));
    for (String member : members) {
      validateMember(member);
    }
    String host = resolveHost(env.raw("CLUSTER_HOST"), members);
    int busPort = env.integer("CLUSTER_BUS_PORT", 0, 0, 65535);
    int heartbeat = env.integer("CLUSTER_HEARTBEAT_INTERVAL_SECONDS", 1, 1, 60);
    int maxNoHeartbeat = env.integer("CLUSTER_MAX_NO_HEARTBEAT_SECONDS", 5, 2, 600);
    if (maxNoHeartbeat <= heartbeat) {
      throw new ConfigException("CLUSTER_MAX_NO_HEARTBEAT_SECONDS",
          "a value greater than CLUSTER_HEARTBEAT_INTERVAL_SECONDS (" + heartbeat + ")",
          String.valueOf(maxNoHeartbeat));
    }
    int minDataMembers = env.integer("CLUSTER_MIN_DATA_MEMBERS", 1, 1, DataQuorum.MAX_MIN_DATA_MEMBERS);
    return new ClusterConfig(name, host, port, members, busPort, heartbeat, maxNoHeartbeat, false,
        minDataMembers);
  }

  private static void validateMember(String member) {
    String expected = "a comma-separated list of host[:port]";
    int colon = member.lastIndexOf(':');
    if (colon >= 0 && member.indexOf(':') == colon) {
      String portText = member.substring(colon + 1);
      try {
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
          throw new ConfigException("CLUSTER_MEMBERS", expected, member);
        }
      } catch (NumberFormatException e) {
        throw new ConfigException("CLUSTER_MEMBERS", expected, member);
      }
      member = member.substring(0, colon);
    }
    if (member.isEmpty() || !member.matches("[A-Za-z0-9._\\-\\[\\]:]+")) {
      throw new ConfigException("CLUSTER_MEMBERS", expected, member);
    }
  }

  private static String hostOf(String member) {
    int colon = member.lastIndexOf(':');
    return colon >= 0 && member.indexOf(':') == colon ? member.substring(0, colon) : member;
  }

  static boolean isLoopbackName(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
        || host.equals("[::1]");
  }

  private static String resolveHost(String configured, List<String> members) {
    if (configured != null) {
      InetAddress address;
      try {
        address = InetAddress.getByName(configured);
      } catch (UnknownHostException e) {
        throw new ConfigException("CLUSTER_HOST", "an IP address or resolvable name of this machine",
            configured);
      }
      if (!isLocal(address)) {
        throw new ConfigException("CLUSTER_HOST", "an address of one of this machine's interfaces",
            configured);
      }
      return address.getHostAddress();
    }
    boolean loopbackOnly = members.stream().map(ClusterConfig::hostOf)
        .allMatch(ClusterConfig::isLoopbackName);
    if (loopbackOnly) {
      return "127.0.0.1";
    }
    return firstNonLoopbackIpv4().orElseThrow(() -> new ConfigException(
        "CLUSTER_HOST is unset and this machine has no non-loopback IPv4 address; set CLUSTER_HOST"));
  }

  private static boolean isLocal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static java.util.Optional<String> firstNonLoopbackIpv4() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return java.util.Optional.of(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.empty();
  }
}
