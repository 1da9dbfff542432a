package io.switchboard.gateway.transport;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fanout runs one step for each member of a group of connections, such as the members of a room or
 * the subscribers of a topic: a member whose step throws is logged and skipped, and the members
 * after it still get theirs. Without it one connection that failed under a write (closed by its
 * client a moment before its close handler ran, say) ends the loop and leaves the others without
 * the frame.
 */
public final class Fanout {

  private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

  private Fanout() {
  }

  /** Runs {@code step} for each member; {@code what} names the step, with its ids, in the log. */
  public static <T> void each(Iterable<T> members, Consumer<? super T> step, String what) {
    each(members, step, what, null);
  }

  /**
   * Runs {@code step} for each member; a member whose step threw is then handed to {@code dropped}
   * (may be null), which lets it go without writing to it again.
   */
  public static <T> void each(Iterable<T> members, Consumer<? super T> step, String what,
      Consumer<? super T> dropped) {
    for (T member : members) {
      try {
        step.accept(member);
      } catch (RuntimeException e) {
        LOG.warn("{} failed for one connection; the others go on", what, e);
        if (dropped != null) {
          drop(member, dropped, what);
        }
      }
    }
  }

  private static <T> void drop(T member, Consumer<? super T> dropped, String what) {
    try {
      dropped.accept(member);
    } catch (RuntimeException e) {
      LOG.warn("Dropping a connection after {} failed too", what, e);
    }
  }
}
