package io.switchboard.it.net;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NetworkPartition is a network that a test can cut in two (or more) on one machine: each side is
 * a Linux network namespace joined to the test's namespace by a veth pair with a /30 of its own,
 * and the test's namespace routes between them. {@link #split} drops every packet between sides in
 * different groups, silently, as a broken switch would; {@link #heal} lets them through again. The
 * test's own namespace reaches every side all the while, so it can publish on both sides of a split.
 *
 * <p>Needs root, {@code ip} and {@code iptables}. A partition takes a slot: {@code 10.231.<slot>.0/24},
 * namespaces {@code sbpart<slot>-<side>}, host-side links {@code sbp<slot>h<side>} and an iptables
 * chain {@code SBPART<slot>} jumped to from {@code FORWARD}; a lock file under
 * {@code /run/switchboard-partition} holds the slot for the JVM's life, so concurrent test runs
 * never share one, and whatever a crashed run left in a free slot is removed before it is used.
 * {@link #close} kills the processes started on the sides and removes all of it; a shutdown hook
 * does the same if the JVM exits first.
 */
public final class NetworkPartition implements AutoCloseable {

  private static final Path LOCKS = Path.of("/run/switchboard-partition");
  private static final int SLOTS = 64;
  private static final int MAX_SIDES = 64;

  private final int slot;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final String clusterName = "sb-part-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<PartitionSide> sides = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::removeAll, "network-partition-cleanup");
  private boolean closed;

  private NetworkPartition(int slot, FileChannel lockFile, FileLock lock) {
    this.slot = slot;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /** Creates {@code count} sides, all connected; close the partition when done, even on failure. */
  public static NetworkPartition create(int count) {
    if (count < 2 || count > MAX_SIDES) {
      throw new IllegalArgumentException("2 to " + MAX_SIDES + " sides, not " + count);
    }
    NetworkPartition partition = takeSlot();
    Runtime.getRuntime().addShutdownHook(partition.shutdownHook);
    try {
      partition.build(count);
    } catch (RuntimeException e) {
      partition.close();
      throw e;
    }
    return partition;
  }

  public List<PartitionSide> sides() {
    return List.copyOf(sides);
  }

  public PartitionSide side(int index) {
    return sides.get(index);
  }

  /** A random Hazelcast cluster name that every process started on a side gets. */
  public String clusterName() {
    return clusterName;
  }

  /** Every side's address, comma-separated: the {@code CLUSTER_MEMBERS} of processes on the sides. */
  public String seeds() {
    return String.join(",", sides.stream().map(PartitionSide::address).toList());
  }

  /** Cuts every side off from every other. */
  public void split() {
    split(sides.stream().map(List::of).toArray(List[]::new));
  }

  /**
   * Cuts the network into {@code groups}: sides of one group still reach each other, sides of
   * different groups do not. A side in no group keeps reaching every side.
   */
  @SafeVarargs
  public final synchronized void split(List<PartitionSide>... groups) {
    heal();
    for (int a = 0; a < groups.length; a++) {
      for (int b = 0; b < groups.length; b++) {
        if (a == b) {
          continue;
        }
        for (PartitionSide from : groups[a]) {
          for (PartitionSide to : groups[b]) {
            Shell.run("iptables", "-I", chain(), "1", "-s", from.address(), "-d", to.address(),
                "-j", "DROP");
          }
        }
      }
    }
  }

  /** Lets every side reach every other again. */
  public synchronized void heal() {
    Shell.run("iptables", "-F", chain());
    Shell.run("iptables", "-A", chain(), "-j", "ACCEPT");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or ran.
    }
  }

  private void build(int count) {
    Shell.run("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
    Shell.run("iptables", "-N", chain());
    heal();
    Shell.run("iptables", "-I", "FORWARD", "1", "-s", subnet(), "-d", subnet(), "-j", chain());
    for (int i = 0; i < count; i++) {
      String ns = "sbpart" + slot + "-" + i;
      String host = "sbp" + slot + "h" + i;
      String inner = "sbp" + slot + "n" + i;
      String hostAddress = "10.231." + slot + "." + (4 * i + 1);
      String address = "10.231." + slot + "." + (4 * i + 2);
      Shell.run("ip", "netns", "add", ns);
      Shell.run("ip", "link", "add", host, "type", "veth", "peer", "name", inner);
      Shell.run("ip", "link", "set", inner, "netns", ns);
      Shell.run("ip", "addr", "add", hostAddress + "/30", "dev", host);
      Shell.run("ip", "link", "set", host, "up");
      Shell.run("ip", "-n", ns, "addr", "add", address + "/30", "dev", inner);
      Shell.run("ip", "-n", ns, "link", "set", inner, "up");
      Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
      Shell.run("ip", "-n", ns, "route", "add", "default", "via", hostAddress);
      sides.add(new PartitionSide(this, i, ns, address));
    }
  }

  private void removeAll() {
    sides.forEach(PartitionSide::stop);
    clean(slot);
    try {
      lock.release();
      lockFile.close();
    } catch (IOException ignored) {
      // The lock goes with the JVM anyway.
    }
  }

  private String chain() {
    return chain(slot);
  }

  private String subnet() {
    return subnet(slot);
  }

  private static String chain(int slot) {
    return "SBPART" + slot;
  }

  private static String subnet(int slot) {
    return "10.231." + slot + ".0/24";
  }

  /** Takes the first slot no live JVM holds, after removing what crashed runs left in free slots. */
  private static NetworkPartition takeSlot() {
    try {
      Files.createDirectories(LOCKS);
      Set<Integer> leftovers = leftoverSlots();
      NetworkPartition taken = null;
      for (int slot = 0; slot < SLOTS && (taken == null || !leftovers.isEmpty()); slot++) {
        FileChannel channel = FileChannel.open(LOCKS.resolve(slot + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        if (lock == null) {
          channel.close();
          leftovers.remove(slot);
          continue;
        }
        if (leftovers.remove(slot)) {
          clean(slot);
        }
        if (taken == null) {
          taken = new NetworkPartition(slot, channel, lock);
        } else {
          lock.release();
          channel.close();
        }
      }
      if (taken == null) {
        throw new IllegalStateException("All " + SLOTS + " partition slots are in use");
      }
      return taken;
    } catch (IOException e) {
      throw new IllegalStateException("Could not take a partition slot under " + LOCKS, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldByThisJvm) {
      return null;
    }
  }

  /** Slots where namespaces, links or chains exist, held or not. */
  private static Set<Integer> leftoverSlots() {
    Set<Integer> slots = new TreeSet<>();
    String names = Shell.attempt("ip", "netns", "list").output() + "\n"
        + Shell.attempt("ip", "-o", "link", "show").output() + "\n"
        + Shell.attempt("iptables", "-S").output();
    Matcher matcher = Pattern.compile("\\b(?:sbpart(\\d+)-\\d+|sbp(\\d+)h\\d+|SBPART(\\d+))\\b")
        .matcher(names);
    while (matcher.find()) {
      for (int group = 1; group <= 3; group++) {
        if (matcher.group(group) != null) {
          slots.add(Integer.parseInt(matcher.group(group)));
        }
      }
    }
    return slots;
  }

  /** Kills the processes in a slot's namespaces and removes the namespaces, links and rules. */
  private static void clean(int slot) {
    String prefix = "sbpart" + slot + "-";
    for (String line : Shell.attempt("ip", "netns", "list").output().split("\n")) {
      String ns = line.split(" ")[0].trim();
      if (!ns.startsWith(prefix)) {
        continue;
      }
      for (String pid : Shell.attempt("ip", "netns", "pids", ns).output().split("\\s+")) {
        if (pid.matches("\\d+")) {
          Shell.attempt("kill", "-9", pid);
        }
      }
      Shell.attempt("ip", "netns", "del", ns);
    }
    Matcher links = Pattern.compile("\\b(sbp" + slot + "h\\d+)\\b")
        .matcher(Shell.attempt("ip", "-o", "link", "show").output());
    while (links.find()) {
      Shell.attempt("ip", "link", "del", links.group(1));
    }
    while (Shell.attempt("iptables", "-D", "FORWARD", "-s", subnet(slot), "-d", subnet(slot), "-j",
        chain(slot)).exit() == 0) {
      // Removed one jump; there may be another.
    }
    Shell.attempt("iptables", "-F", chain(slot));
    Shell.attempt("iptables", "-X", chain(slot));
  }
}
