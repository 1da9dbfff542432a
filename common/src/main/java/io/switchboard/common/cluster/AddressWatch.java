package io.switchboard.common.cluster;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AddressWatch notices that the address this member binds and advertises ({@code CLUSTER_HOST},
 * or the one picked at start) has left this machine while another address has come: a container
 * disconnected from its network and connected again (`docker network disconnect` and `connect`)
 * is given the next free address of the network, not necessarily its old one.
 *
 * <p>Hazelcast and the event bus stay bound to the old address, so no other member can reach this
 * one again: it would stay alone in a cluster of its own for good, and a gateway would go on
 * answering browsers without the cluster. Only a new process can bind the new address, so the
 * watch hands the case to {@code onMoved}, which ends the process for whatever runs it to start it
 * anew. While the machine has no other address (the container is disconnected) there is nothing
 * to rebind, and the watch waits: a container reconnected with its old address merges back.
 *
 * <p>A thread of its own checks every {@link #POLL_MS}; the address must be gone for
 * {@link #CHECKS} checks in a row, so that an interface being reconfigured does not count.
 */
public final class AddressWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AddressWatch.class);
  static final long POLL_MS = 1000;
  static final int CHECKS = 3;

  private final String host;
  private final Supplier<Set<String>> localAddresses;
  private final Consumer<Set<String>> onMoved;
  private final Thread thread;
  private int missing;
  private volatile boolean closed;

  AddressWatch(String host, Supplier<Set<String>> localAddresses, Consumer<Set<String>> onMoved) {
    this.host = host;
    this.localAddresses = localAddresses;
    this.onMoved = onMoved;
    this.thread = new Thread(this::watch, "switchboard-address-watch");
    thread.setDaemon(true);
  }

  /**
   * Starts watching {@code host}; {@code onMoved} gets this machine's addresses, on the watch's
   * thread, once {@code host} has been gone while others were there. A loopback host is never
   * watched: it cannot move.
   */
  public static AddressWatch start(String host, Consumer<Set<String>> onMoved) {
    AddressWatch watch = new AddressWatch(host, AddressWatch::nonLoopbackAddresses, onMoved);
    if (!ClusterConfig.isLoopbackName(host)) {
      watch.thread.start();
    }
    return watch;
  }

  /** One check: true once {@code host} has been missing for {@link #CHECKS} checks while others were there. */
  boolean check() {
    Set<String> now = localAddresses.get();
    if (now.contains(host) || now.isEmpty()) {
      missing = 0;
      return false;
    }
    missing++;
    if (missing < CHECKS) {
      return false;
    }
    onMoved.accept(now);
    return true;
  }

  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        return;
      }
      if (!closed && check()) {
        return;
      }
    }
  }

  /** The IP addresses of this machine's interfaces that are up, loopback excluded. */
  static Set<String> nonLoopbackAddresses() {
    Set<String> addresses = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
            addresses.add(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      LOG.debug("Could not list this machine's addresses: {}", e.toString());
    }
    return addresses;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
