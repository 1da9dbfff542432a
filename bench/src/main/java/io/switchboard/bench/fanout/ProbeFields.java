package io.switchboard.bench.fanout;

/**
 * ProbeFields reads a probe event's {@code "seq":n} and {@code "t":nanos} out of one WebSocket
 * message, wherever the server's framing put them, without building a string: the first numeric
 * occurrence of each key counts.
 */
final class ProbeFields {

  private static final byte[] SEQ = {'"', 's', 'e', 'q', '"', ':'};
  private static final byte[] T = {'"', 't', '"', ':'};

  private ProbeFields() {
  }

  /**
   * Hands the probe's fields in bytes {@code from} to {@code to} of {@code message} to {@code sink};
   * returns false when they hold no probe.
   */
  static boolean read(byte[] message, int from, int to, ProbeParser.Sink sink) {
    long seq = number(message, from, to, SEQ);
    long t = number(message, from, to, T);
    if (seq < 0 || t < 0) {
      return false;
    }
    sink.event(seq, t);
    return true;
  }

  /** The non-negative integer right after the first {@code key}, or -1. */
  static long number(byte[] message, int from, int to, byte[] key) {
    outer:
    for (int i = from; i + key.length < to; i++) {
      for (int k = 0; k < key.length; k++) {
        if (message[i + k] != key[k]) {
          continue outer;
        }
      }
      int at = i + key.length;
      long value = 0;
      int digits = 0;
      while (at < to && message[at] >= '0' && message[at] <= '9') {
        value = value * 10 + (message[at] - '0');
        digits++;
        at++;
      }
      if (digits > 0) {
        return value;
      }
    }
    return -1;
  }
}
