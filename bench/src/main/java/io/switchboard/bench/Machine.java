package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Machine describes the host a result was measured on: cores, memory, open-file limit, load. */
public final class Machine {

  private Machine() {
  }

  public static JsonObject describe() {
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("memTotalKiB", procValue(Path.of("/proc/meminfo"), "MemTotal:"))
        .put("openFilesHardLimit", openFileLimit("Max open files", 4))
        .put("openFilesSoftLimit", openFileLimit("Max open files", 3))
        .put("loadAverage", loadAverage())
        .put("java", System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }

  /** The 1-minute load average, or -1 where /proc is not available. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This process's open-file limit (hard when {@code hard}), or -1 when unknown. */
  public static long openFileLimit(boolean hard) {
    return openFileLimit("Max open files", hard ? 4 : 3);
  }

  private static long openFileLimit(String row, int column) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith(row)) {
          String[] cols = line.substring(row.length()).trim().split("\\s+");
          return cols[column - 3].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(cols[column - 3]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** A value in KiB from a /proc file in the {@code Key:   123 kB} format, or -1. */
  public static long procValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
