package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerDeliveryTest {

  @Test
  void aBatchOfRelaysAndBroadcastsComesBackInOrder() {
    List<PeerDelivery> batch = List.of(
        PeerDelivery.relay("room-1", "target", "{\"type\":\"sdp\",\"from\":\"x\"}"),
        PeerDelivery.broadcast("room-2", "sender", "{\"data\":\"héllo ✓\"}"),
        PeerDelivery.relay("r", "t", ""));
    assertEquals(batch, PeerDelivery.decode(PeerDelivery.encode(batch)));
  }

  @Test
  void malformedBatchesAreRejected() {
    Buffer good = PeerDelivery.encode(List.of(PeerDelivery.relay("room", "peer", "{}")));
    assertThrows(IllegalArgumentException.class, () -> PeerDelivery.decode(Buffer.buffer()));
    assertThrows(IllegalArgumentException.class,
        () -> PeerDelivery.decode(good.getBuffer(0, good.length() - 1)));
    assertThrows(IllegalArgumentException.class,
        () -> PeerDelivery.decode(good.copy().appendByte((byte) 0)));
    Buffer badKind = good.copy();
    badKind.setByte(4, (byte) 9);
    assertThrows(IllegalArgumentException.class, () -> PeerDelivery.decode(badKind));
    Buffer hugeCount = good.copy();
    hugeCount.setInt(0, Integer.MAX_VALUE);
    assertThrows(IllegalArgumentException.class, () -> PeerDelivery.decode(hugeCount));
    Buffer hugeString = good.copy();
    hugeString.setInt(5, Integer.MAX_VALUE);
    assertThrows(IllegalArgumentException.class, () -> PeerDelivery.decode(hugeString));
  }
}
