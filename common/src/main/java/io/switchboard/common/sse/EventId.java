package io.switchboard.common.sse;

import java.util.Optional;

/**
 * EventId is an SSE event id, {@code <epoch>-<position>}: opaque to clients, meaningful to
 * sse-service and the gateways.
 *
 * <p>The epoch is created once per topic and lives in cluster state; a new epoch means the topic's
 * history was lost (for example after the whole cluster restarted), so an id of another epoch is
 * never mistaken for a position in the current history. The position counts the topic's events:
 * the event stored at ring-buffer sequence {@code s} has position {@code s + 1}, and position
 * {@code 0} means "before the first event". {@link #START} is the position before anything ever
 * published, used while a topic has no epoch yet.
 *
 * @param epoch the topic's epoch, or {@link #NO_EPOCH}
 * @param position the number of events of the epoch up to and including this one
 */
public record EventId(String epoch, long position) {

  /** The epoch of {@link #START}: the topic has had no event since its history began. */
  public static final String NO_EPOCH = "0";

  /** The id before any event of a topic whose history is empty and has no epoch yet. */
  public static final EventId START = new EventId(NO_EPOCH, 0);

  private static final int MAX_LENGTH = 64;

  /** The id of the event stored at ring-buffer sequence {@code sequence}. */
  public static EventId ofSequence(String epoch, long sequence) {
    return new EventId(epoch, sequence + 1);
  }

  /** The ring-buffer sequence of the next event after this id. */
  public long nextSequence() {
    return position;
  }

  /** Parses an id as written by {@link #toString()}; empty for anything else. */
  public static Optional<EventId> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int dash = text.lastIndexOf('-');
    if (dash <= 0 || dash == text.length() - 1) {
      return Optional.empty();
    }
    String epoch = text.substring(0, dash);
    String digits = text.substring(dash + 1);
    if (!epoch.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128)
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    try {
      return Optional.of(new EventId(epoch, Long.parseLong(digits)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return epoch + "-" + position;
  }
}
