package io.switchboard.common.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A room change travels from the member that owns the room to the signaling instance that asked
 * for it, and the two may be of two releases while a cluster is upgraded one member at a time:
 * each reads what the other writes.
 */
class RoomChangeFormatTest {

  private static final String PREVIOUS = "io.switchboard.common.signaling.previous.";

  @Test
  void aChangeWrittenByTheReleaseBeforeThePreviousVersionReadsWithNone() throws Exception {
    io.switchboard.common.signaling.previous.RoomChange old = new io.switchboard.common.signaling.previous.RoomChange(
        io.switchboard.common.signaling.previous.RoomChange.Outcome.JOINED, 9, Map.of("alice", "gw-a"),
        Map.of(), Map.of("alice", "u-alice"), Map.of());
    RoomChange read = (RoomChange) read(write(old), false);
    assertEquals(new RoomChange(RoomChange.Outcome.JOINED, 9, Map.of("alice", "gw-a"), Map.of(),
        Map.of("alice", "u-alice"), Map.of(), 0), read);
  }

  @Test
  void theReleaseBeforeThePreviousVersionReadsAChangeWrittenNow() throws Exception {
    RoomChange now = new RoomChange(RoomChange.Outcome.REMOVED, 9, Map.of("bob", "gw-b"),
        Map.of("alice", "gw-a"), Map.of(), Map.of(), 8);
    io.switchboard.common.signaling.previous.RoomChange read =
        (io.switchboard.common.signaling.previous.RoomChange) read(write(now), true);
    assertEquals(io.switchboard.common.signaling.previous.RoomChange.Outcome.REMOVED, read.outcome());
    assertEquals(9, read.version());
    assertEquals(Map.of("alice", "gw-a"), read.removed());
  }

  private static byte[] write(Object object) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    return bytes.toByteArray();
  }

  /** Reads {@code bytes} as the previous code's classes, or as this code's. */
  private static Object read(byte[] bytes, boolean asPrevious) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        String simple = desc.getName().substring(desc.getName().lastIndexOf('.') + 1);
        if (!simple.startsWith("RoomChange")) {
          return super.resolveClass(desc);
        }
        String name = asPrevious ? PREVIOUS + simple : RoomChange.class.getPackageName() + "." + simple;
        return Class.forName(name, false, RoomChangeFormatTest.class.getClassLoader());
      }
    }) {
      return in.readObject();
    }
  }
}
