package io.switchboard.common.log;

import org.slf4j.spi.LoggingEventBuilder;

/**
 * LogFields names the ids a log line can be about, once, so that every line names them alike. A
 * line carries them as SLF4J key-value pairs beside its message: the text format leaves them out,
 * since the message already says them, and {@code LOG_FORMAT=json} writes them in the line's
 * {@code kvpList}.
 *
 * <pre>{@code LOG.atInfo().addKeyValue(LogFields.ROOM, room).log("Reconciled room {}", room);}</pre>
 *
 * <p>Key-value pairs rather than the MDC: an event loop serves many connections, so an MDC, which
 * belongs to the thread, would have to be set and cleared around every line, and an id left behind
 * would name the wrong connection on the next line; a key-value pair belongs to its line alone.
 *
 * <p>An instance holds the ids of one line for {@link LimitLog#hit(String, LogFields, String, Object...)}.
 */
public final class LogFields {

  /** A signaling peer, which is also its signaling connection. */
  public static final String PEER = "peer";
  public static final String ROOM = "room";
  public static final String TOPIC = "topic";
  /** A token's subject. */
  public static final String USER = "user";
  /** A topics WebSocket. */
  public static final String CONNECTION = "connection";
  /** The client's address, behind the trusted proxies. */
  public static final String CLIENT = "client";
  /** The kind of limit a {@link LimitLog} line is about. */
  public static final String LIMIT = "limit";

  /** No ids. */
  public static final LogFields NONE = new LogFields(new Object[0]);

  private final Object[] pairs;

  private LogFields(Object[] pairs) {
    this.pairs = pairs;
  }

  public static LogFields of(String key, Object value) {
    return new LogFields(new Object[] {key, value});
  }

  public static LogFields of(String key1, Object value1, String key2, Object value2) {
    return new LogFields(new Object[] {key1, value1, key2, value2});
  }

  /** Adds these ids to {@code event}, leaving out those that are null. */
  public LoggingEventBuilder addTo(LoggingEventBuilder event) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        event.addKeyValue((String) pairs[i], pairs[i + 1]);
      }
    }
    return event;
  }
}
