package io.switchboard.bench.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EngineIoTest {

  @Test
  void encodesAnEventOnTheDefaultNamespace() {
    String frame = EngineIo.event("signal", new JsonObject().put("target", "abc").put("seq", 3));

    assertEquals("42[\"signal\",{\"target\":\"abc\",\"seq\":3}]", frame);
  }

  @Test
  void decodesTheEngineOpenPacketAndPings() {
    EngineIo.Packet open = EngineIo.decode("0{\"sid\":\"x\",\"pingInterval\":25000}");
    EngineIo.Packet ping = EngineIo.decode("2");

    assertTrue(open.isOpen());
    assertEquals("{\"sid\":\"x\",\"pingInterval\":25000}", open.json());
    assertTrue(ping.isPing());
    assertNull(ping.json());
  }

  @Test
  void decodesTheNamespaceConnectAckWithTheSocketId() {
    EngineIo.Packet ack = EngineIo.decode("40{\"sid\":\"Xy_12\"}");

    assertTrue(ack.isConnect());
    assertEquals("Xy_12", new JsonObject(ack.json()).getString("sid"));
  }

  @Test
  void decodesEventsWithOrWithoutNamespaceAndAckId() {
    JsonArray plain = EngineIo.decode("42[\"joined\",{\"room\":\"r\"}]").eventArgs();
    JsonArray namespaced = EngineIo.decode("42/chat,17[\"signal\",{\"from\":\"a\"}]").eventArgs();

    assertEquals("joined", plain.getString(0));
    assertEquals("r", plain.getJsonObject(1).getString("room"));
    assertEquals("signal", namespaced.getString(0));
    assertEquals("a", namespaced.getJsonObject(1).getString("from"));
  }

  @Test
  void roundTripsAnEncodedEvent() {
    EngineIo.Packet p = EngineIo.decode(EngineIo.event("join", "room-1"));

    assertTrue(p.isEvent());
    assertFalse(p.isConnect());
    assertEquals(new JsonArray().add("join").add("room-1"), p.eventArgs());
  }

  @Test
  void rejectsFramesThatAreNotEngineIo() {
    assertThrows(IllegalArgumentException.class, () -> EngineIo.decode("{\"type\":\"welcome\"}"));
    assertThrows(IllegalArgumentException.class, () -> EngineIo.decode(""));
    assertThrows(IllegalArgumentException.class, () -> EngineIo.decode("4x"));
  }
}
