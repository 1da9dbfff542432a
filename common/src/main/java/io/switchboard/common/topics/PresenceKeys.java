package io.switchboard.common.topics;

import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.query.QueryConstants;
import java.util.Collection;

/**
 * PresenceKeys is the layout of {@link PresenceMaps#PRESENCE}: the key
 * {@code <topic>|<gateway node>|<connection>} and the value {@code <arrival millis>|<user>}, an
 * empty user for a connection without one. Topic names, node ids and connection ids never contain
 * {@code |}, so a topic's entries are the keys from {@code <topic>|} to {@code <topic>}} and a
 * node's contain {@code |<node>|}.
 */
public final class PresenceKeys {

  private static final char SEPARATOR = '|';
  private static final String KEY = QueryConstants.KEY_ATTRIBUTE_NAME.value();

  /** One present connection, as read back. */
  public record Entry(String topic, String node, String id, long at, String user) {
  }

  private PresenceKeys() {
  }

  public static String key(String topic, String node, String id) {
    return topic + SEPARATOR + node + SEPARATOR + id;
  }

  public static String value(long at, String user) {
    return at + "" + SEPARATOR + (user == null ? "" : user);
  }

  /** The entry of a key and its value; null when either is not of this layout. */
  public static Entry decode(String key, String value) {
    int first = key.indexOf(SEPARATOR);
    int second = first < 0 ? -1 : key.indexOf(SEPARATOR, first + 1);
    int split = value == null ? -1 : value.indexOf(SEPARATOR);
    if (second < 0 || split < 0) {
      return null;
    }
    try {
      String user = value.substring(split + 1);
      return new Entry(key.substring(0, first), key.substring(first + 1, second), key.substring(second + 1),
          Long.parseLong(value.substring(0, split)), user.isEmpty() ? null : user);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The entries of {@code topic}: a range of keys, served by the sorted index on them. */
  public static Predicate<String, String> ofTopic(String topic) {
    return Predicates.between(KEY, topic + SEPARATOR, topic + (char) (SEPARATOR + 1));
  }

  /** The entries of connections on gateway nodes other than {@code liveNodes}. */
  public static Predicate<String, String> notOn(Collection<String> liveNodes) {
    if (liveNodes.isEmpty()) {
      return Predicates.alwaysTrue();
    }
    @SuppressWarnings("unchecked")
    Predicate<String, String>[] onLive = liveNodes.stream()
        .map(node -> Predicates.<String, String>like(KEY, "%" + SEPARATOR + node + SEPARATOR + "%"))
        .toArray(Predicate[]::new);
    return Predicates.not(Predicates.or(onLive));
  }
}
