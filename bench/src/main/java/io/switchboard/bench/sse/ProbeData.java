package io.switchboard.bench.sse;

/**
 * ProbeData reads the integer fields of the tool's own event data, {@code {"seq":n,"t":nanos}},
 * wherever a server put them in the data line, without a JSON parser.
 */
final class ProbeData {

  private ProbeData() {
  }

  /** The integer after {@code key} (for example {@code "seq":}), or {@link Long#MIN_VALUE} when absent. */
  static long field(String data, String key) {
    int at = data.indexOf(key);
    if (at < 0) {
      return Long.MIN_VALUE;
    }
    int i = at + key.length();
    while (i < data.length() && data.charAt(i) == ' ') {
      i++;
    }
    boolean negative = i < data.length() && data.charAt(i) == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long value = 0;
    while (i < data.length() && Character.isDigit(data.charAt(i))) {
      value = value * 10 + (data.charAt(i++) - '0');
    }
    if (i == start) {
      return Long.MIN_VALUE;
    }
    return negative ? -value : value;
  }
}
