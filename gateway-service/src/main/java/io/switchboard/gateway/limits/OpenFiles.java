package io.switchboard.gateway.limits;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * OpenFiles sizes the default of {@code LIMIT_CONNECTIONS} from the process's open-file limit:
 * every client connection is a file descriptor, and a process out of descriptors can accept no
 * connection at all, not even a health check.
 *
 * <p>A reserve is kept for what else the gateway opens: cluster and event-bus sockets, jars, logs,
 * the event loops' own descriptors. It is a tenth of the limit, and at least 1,000 descriptors or
 * half the limit, whichever is less.
 */
public final class OpenFiles {

  /** The limit assumed where the platform does not tell (not a Unix). */
  static final long UNKNOWN_LIMIT = 10_240;
  private static final long MIN_RESERVE = 1_000;

  private OpenFiles() {
  }

  /** The process's open-file limit, as the JVM raised it at start-up. */
  public static long limit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long max = unix.getMaxFileDescriptorCount();
      if (max > 0) {
        return max;
      }
    }
    return UNKNOWN_LIMIT;
  }

  /** The default of {@code LIMIT_CONNECTIONS}. */
  public static int defaultConnectionLimit() {
    return connectionLimit(limit());
  }

  /** The connections {@code openFiles} descriptors leave room for once the reserve is kept. */
  static int connectionLimit(long openFiles) {
    long reserve = Math.max(openFiles / 10, Math.min(MIN_RESERVE, openFiles / 2));
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, openFiles - reserve));
  }
}
