package io.switchboard.bench.fanout;

/**
 * ProbeParser reads the tool's probe events, {@code {"seq":n,"t":nanos}}, out of a
 * {@code text/event-stream} body fed as bytes in arbitrary pieces, without allocating.
 *
 * <p>It follows the WHATWG event-stream rules as far as a probe needs them: lines end in LF, CRLF
 * or CR; a blank line dispatches; comment lines (heartbeats) and fields other than {@code data} are
 * skipped. An event is reported when its data lines hold both fields as integers, wherever a server
 * put them: the first numeric occurrence of each counts, and a number must follow its key on the
 * same line.
 *
 * <p>Ten thousand streams at ten events a second is 100,000 events a second on the machine of the
 * server being measured, so the parser makes one pass over the bytes and builds no strings.
 */
final class ProbeParser {

  /** Receives each dispatched probe event. */
  interface Sink {
    void event(long seq, long nanos);
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a'};

  private final Sink sink;
  private final Field seq = new Field("\"seq\":");
  private final Field t = new Field("\"t\":");
  private boolean afterCr;
  private int lineLength;
  /** Bytes of the field name read so far that match {@code data}; -1 once they do not. */
  private int nameMatch;
  private boolean inValue;
  private boolean dataLine;
  private boolean comment;
  private boolean hasData;
  private long comments;

  ProbeParser(Sink sink) {
    this.sink = sink;
  }

  /** Feeds bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code bytes}. */
  void feed(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (afterCr) {
        afterCr = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n') {
        endLine();
      } else if (b == '\r') {
        afterCr = true;
        endLine();
      } else {
        onByte(b);
      }
    }
  }

  /** Comment lines seen so far, for example heartbeats. */
  long comments() {
    return comments;
  }

  private void onByte(byte b) {
    if (inValue) {
      if (dataLine) {
        seq.accept(b);
        t.accept(b);
      }
    } else if (lineLength == 0 && b == ':') {
      comment = true;
      inValue = true;
    } else if (b == ':') {
      inValue = true;
      dataLine = nameMatch == DATA.length;
    } else if (nameMatch >= 0) {
      nameMatch = nameMatch < DATA.length && DATA[nameMatch] == b ? nameMatch + 1 : -1;
    }
    lineLength++;
  }

  private void endLine() {
    if (lineLength == 0) {
      dispatch();
      return;
    }
    if (comment) {
      comments++;
    } else if (dataLine || (!inValue && nameMatch == DATA.length)) {
      // "data" without a colon is a data field with an empty value.
      hasData = true;
      seq.endLine();
      t.endLine();
    }
    lineLength = 0;
    nameMatch = 0;
    inValue = false;
    dataLine = false;
    comment = false;
  }

  private void dispatch() {
    if (hasData && seq.found && t.found) {
      sink.event(seq.value, t.value);
    }
    hasData = false;
    seq.reset();
    t.reset();
  }

  /**
   * One integer field: finds its key with a Knuth-Morris-Pratt matcher, then reads the digits
   * after it (spaces and a minus sign allowed).
   */
  private static final class Field {
    private final byte[] key;
    private final int[] fallback;
    private int matched;
    private boolean afterKey;
    private boolean negative;
    private int digits;
    private long number;
    boolean found;
    long value;

    Field(String key) {
      this.key = key.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      this.fallback = new int[this.key.length + 1];
      fallback[0] = -1;
      for (int i = 1; i <= this.key.length; i++) {
        int k = fallback[i - 1];
        while (k >= 0 && this.key[k] != this.key[i - 1]) {
          k = fallback[k];
        }
        fallback[i] = k + 1;
      }
    }

    void accept(byte b) {
      if (found) {
        return;
      }
      if (afterKey) {
        if (b >= '0' && b <= '9') {
          number = number * 10 + (b - '0');
          digits++;
          return;
        }
        if (digits == 0 && !negative && b == ' ') {
          return;
        }
        if (digits == 0 && !negative && b == '-') {
          negative = true;
          return;
        }
        if (finishNumber()) {
          return;
        }
      }
      match(b);
    }

    void endLine() {
      if (!found && afterKey) {
        finishNumber();
      }
      matched = 0;
    }

    void reset() {
      found = false;
      value = 0;
      matched = 0;
      clearNumber();
    }

    /** Ends the digits after a key: true if they made a number. */
    private boolean finishNumber() {
      if (digits > 0) {
        found = true;
        value = negative ? -number : number;
      }
      clearNumber();
      return found;
    }

    private void clearNumber() {
      afterKey = false;
      negative = false;
      digits = 0;
      number = 0;
    }

    private void match(byte b) {
      while (matched >= 0 && key[matched] != b) {
        matched = fallback[matched];
      }
      matched++;
      if (matched == key.length) {
        afterKey = true;
        matched = 0;
      }
    }
  }
}
