package io.switchboard.bench.fanout;

import io.vertx.core.buffer.Buffer;

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

  /** Hands the probe's fields to {@code sink}; returns false when the message holds no probe. */
  static boolean read(Buffer message, ProbeParser.Sink sink) {
    long seq = number(message, SEQ);
    long t = number(message, T);
    if (seq < 0 || t < 0) {
      return false;
    }
    sink.event(seq, t);
    return true;
  }

  /** The non-negative integer right after the first {@code key}, or -1. */
  static long number(Buffer message, byte[] key) {
    int length = message.length();
    outer:
    for (int i = 0; i + key.length < length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (message.getByte(i + k) != key[k]) {
          continue outer;
        }
      }
      int at = i + key.length;
      long value = 0;
      int digits = 0;
      while (at < length) {
        byte b = message.getByte(at);
        if (b < '0' || b > '9') {
          break;
        }
        value = value * 10 + (b - '0');
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
