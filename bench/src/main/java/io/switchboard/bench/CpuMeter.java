package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CpuMeter measures the CPU time (user and system) that the servers under test and the load tool
 * itself use over a measured window, from {@code /proc/<pid>/stat}. On a machine whose cores are
 * shared by both, throughput alone hides how much of the machine each side took; CPU time per
 * message compares servers independently of the load tool.
 *
 * <p>Server processes are named with {@code --server-pids pid,pid,...}; without them only the load
 * tool is measured. Outside Linux nothing is measured.
 */
public final class CpuMeter {

  /** Clock ticks per second of the times in {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
  static final double TICKS_PER_SECOND = 100.0;

  private final List<Long> serverPids;
  private final long clientPid = ProcessHandle.current().pid();
  private final long startNanos;
  private final double serverStart;
  private final double clientStart;

  private CpuMeter(List<Long> serverPids) {
    this.serverPids = serverPids;
    this.startNanos = System.nanoTime();
    this.serverStart = seconds(serverPids);
    this.clientStart = seconds(List.of(clientPid));
  }

  public static CpuMeter start(Args args) {
    return new CpuMeter(args.list("server-pids", "").stream().map(Long::parseLong).toList());
  }

  /**
   * Ends the window: cores used on average by the servers and by the load tool, and their CPU time
   * per unit of work ({@code units} messages, events or relays) in microseconds.
   */
  public JsonObject stop(long units) {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    double server = seconds(serverPids) - serverStart;
    double client = seconds(List.of(clientPid)) - clientStart;
    JsonObject cpu = new JsonObject().put("wallSeconds", wall)
        .put("clientCores", client / wall)
        .put("clientMicrosPerUnit", units == 0 ? null : client * 1e6 / units);
    if (!serverPids.isEmpty()) {
      cpu.put("serverPids", serverPids).put("serverCores", server / wall)
          .put("serverMicrosPerUnit", units == 0 ? null : server * 1e6 / units);
    }
    return cpu;
  }

  private static double seconds(List<Long> pids) {
    double total = 0;
    for (long pid : pids) {
      total += seconds(pid);
    }
    return total;
  }

  /** User plus system time of a process, all its threads, in seconds; 0 when unreadable. */
  static double seconds(long pid) {
    try {
      return parseStat(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime from a {@code /proc/<pid>/stat} line, in seconds. */
  static double parseStat(String stat) {
    // The command name (field 2) is in parentheses and may contain spaces: count after its end.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are 11 and 12.
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }
}
