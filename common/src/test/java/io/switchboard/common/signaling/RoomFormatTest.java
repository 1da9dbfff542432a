package io.switchboard.common.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.HeapData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rooms written by one version of the code are read by the next and by the previous one, as they
 * are in a cluster upgraded one member at a time. room-v1.hex is a room as Hazelcast stored it
 * before join versions and the merge mark existed.
 */
class RoomFormatTest {

  private final SerializationService hazelcast = new DefaultSerializationServiceBuilder().build();

  @Test
  void aRoomStoredBeforeJoinVersionsReadsWithNoneAndNotMerged() throws IOException {
    byte[] stored;
    try (InputStream in = RoomFormatTest.class.getResourceAsStream("room-v1.hex")) {
      stored = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    }
    Room room = hazelcast.toObject(new HeapData(stored));

    assertEquals(5_000_123L, room.version());
    assertEquals(List.of("alice", "bob"), List.copyOf(room.members().keySet()));
    assertEquals("gw-b", room.members().get("bob"));
    assertEquals(Map.of("alice", "u-alice"), room.users());
    assertEquals(Map.of(), room.joins());
    assertEquals(0, room.joinVersion("alice"));
    assertFalse(room.merged());
  }

  @Test
  void aRoomWithJoinVersionsAndTheMergeMarkSurvivesTheCluster() {
    Room room = new Room(7, members(), Map.of("alice", "u-alice"), Map.of("alice", 3L, "bob", 5L), true);
    assertEquals(room, hazelcast.toObject(hazelcast.toData(room)));
  }

  @Test
  void theCodeBeforeJoinVersionsReadsARoomWrittenNow() throws Exception {
    Room room = new Room(7, members(), Map.of("alice", "u-alice"), Map.of("alice", 3L, "bob", 5L), true);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(room);
    }
    Object read;
    try (ObjectInputStream in = new PreviousRoomInput(bytes.toByteArray())) {
      read = in.readObject();
    }
    io.switchboard.common.signaling.previous.Room previous = (io.switchboard.common.signaling.previous.Room) read;
    assertEquals(7, previous.version());
    assertEquals(members(), previous.members());
    assertEquals(Map.of("alice", "u-alice"), previous.users());
  }

  private static Map<String, String> members() {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("alice", "gw-a");
    members.put("bob", "gw-b");
    return members;
  }

  /** Reads {@link Room} as the previous code's class. */
  private static final class PreviousRoomInput extends ObjectInputStream {

    PreviousRoomInput(byte[] bytes) throws IOException {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      return desc.getName().equals(Room.class.getName()) ? io.switchboard.common.signaling.previous.Room.class : super.resolveClass(desc);
    }
  }
}
