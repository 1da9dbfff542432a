package io.switchboard.common.signaling.previous;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Room as the code before join versions and the merge mark declared it, for RoomFormatTest: the
 * same simple name, since Java serialization matches a class by it.
 */
public record Room(long version, Map<String, String> members, Map<String, String> users)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public Room {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    users = users == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(users));
  }
}
