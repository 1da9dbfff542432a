package io.switchboard.bench.connections;

import io.switchboard.bench.Machine;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * GatewayProbe reads a gateway process's memory from outside: resident set size from
 * {@code /proc/<pid>/status}, and live heap with {@code jcmd <pid> GC.run} then {@code GC.heap_info}.
 * It needs no JMX port and no agent in the gateway. These are blocking calls, made off the event loop.
 */
public final class GatewayProbe {

  private static final Pattern HEAP_USED = Pattern.compile("total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  private final long pid;

  public GatewayProbe(long pid) {
    this.pid = pid;
  }

  public JsonObject sample() {
    long heapUsedKiB = heapUsedAfterGcKiB();
    return new JsonObject()
        .put("rssKiB", Machine.procValue(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:"))
        .put("heapUsedKiB", heapUsedKiB)
        .put("openFiles", openFiles())
        .put("openFilesHardLimit", hardLimit());
  }

  long openFiles() {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  long hardLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
        if (line.startsWith("Max open files")) {
          return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Heap in use right after a full collection: the live set, which is what connections cost. */
  long heapUsedAfterGcKiB() {
    // jcmd attaches with SIGQUIT, which would kill a process that is not a JVM (a Node peer).
    if (!isJvm()) {
      return -1;
    }
    jcmd("GC.run");
    return parseHeapUsedKiB(jcmd("GC.heap_info"));
  }

  private boolean isJvm() {
    try {
      String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
      return cmdline.contains("java");
    } catch (IOException e) {
      return false;
    }
  }

  /** Sums the {@code used} figures of the heap summary lines that {@code GC.heap_info} prints. */
  static long parseHeapUsedKiB(String heapInfo) {
    long used = -1;
    for (String line : heapInfo.split("\n")) {
      Matcher m = HEAP_USED.matcher(line);
      // G1 prints one "garbage-first heap" line; Serial and Parallel print one line per generation.
      if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
        used = Math.max(used, 0) + Long.parseLong(m.group(2));
      }
    }
    return used;
  }

  private String jcmd(String command) {
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
