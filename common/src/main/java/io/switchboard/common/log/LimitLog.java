package io.switchboard.common.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * LimitLog logs that a limit was hit (a refused connection, a full topic cap, a slow client cut),
 * at most once per period for each kind of limit, so that a flood of refusals cannot fill the disk.
 * The line that is logged says how many more of that kind were left out since the last one, and
 * carries the kind as the field {@code limit}, with the ids it is about (see {@link LogFields}).
 *
 * <p>Safe to call from any thread; it never blocks beyond the logger's own appender.
 */
public final class LimitLog {

  /** One line per kind of limit per this period at the most. */
  public static final long DEFAULT_PERIOD_MILLIS = 10_000;

  private final Logger log;
  private final long periodNanos;
  private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();

  public LimitLog(Logger log) {
    this(log, DEFAULT_PERIOD_MILLIS);
  }

  public LimitLog(Logger log, long periodMillis) {
    this.log = log;
    this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
  }

  /**
   * Logs at WARN that the limit {@code kind} was hit, unless a line of that kind was logged within
   * the period; then it is only counted. {@code message} and {@code args} follow SLF4J's format.
   *
   * @return true when the line was logged
   */
  public boolean hit(String kind, String message, Object... args) {
    return hit(kind, LogFields.NONE, message, args);
  }

  /** Logs as {@link #hit(String, String, Object...)} does, with the ids the line is about. */
  public boolean hit(String kind, LogFields ids, String message, Object... args) {
    Kind state = kinds.computeIfAbsent(kind, k -> new Kind());
    long now = System.nanoTime();
    long last = state.lastLogged.get();
    if (last != Long.MIN_VALUE && now - last < periodNanos) {
      state.suppressed.incrementAndGet();
      return false;
    }
    if (!state.lastLogged.compareAndSet(last, now)) {
      state.suppressed.incrementAndGet();
      return false;
    }
    long skipped = state.suppressed.getAndSet(0);
    if (log.isWarnEnabled()) {
      String line = "limit " + kind + ": " + message
          + (skipped > 0 ? " (" + skipped + " more since the last line of this kind)" : "");
      ids.addTo(log.atWarn().addKeyValue(LogFields.LIMIT, kind)).log(line, args);
    }
    return true;
  }

  /** Hits of {@code kind} counted but not logged since its last line. */
  public long suppressed(String kind) {
    Kind state = kinds.get(kind);
    return state == null ? 0 : state.suppressed.get();
  }

  private static final class Kind {
    final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();
  }
}
