package io.switchboard.common.sse;

import java.util.regex.Pattern;

/** Topics holds the rules for SSE topic names shared by the gateway and sse-service. */
public final class Topics {

  /** The topic the cluster-wide ticker writes to; {@code GET /sse} streams it. */
  public static final String TICKS = "ticks";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  /** What a client is told when a topic name breaks {@link #NAME}'s rule. */
  public static final String NAME_RULE = "A topic name is 1 to 128 characters of A-Z a-z 0-9 . _ -";

  private Topics() {
  }

  /** True when {@code name} is 1 to 128 characters of {@code [A-Za-z0-9._-]}. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** True for topics that only the server writes to. */
  public static boolean isReserved(String name) {
    return TICKS.equals(name);
  }
}
