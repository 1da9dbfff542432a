package io.switchboard.gateway.topicsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TopicFramesTest {

  @Test
  void aStoredEventIsOneFrameWithItsTopicIdTypeAndDataAsJson() {
    SocketEvent typed = SocketEvent.encoder("chat.lobby")
        .apply(new StoredEvent(new EventId("e1", 7), "message", "{\"text\":\"hi \\\"you\\\"\"}"));
    assertEquals(new JsonObject().put("type", "event").put("topic", "chat.lobby").put("id", "e1-7")
        .put("event", "message").put("data", new JsonObject().put("text", "hi \"you\"")), new JsonObject(typed.frame()));
    SocketEvent plain = SocketEvent.encoder("t").apply(new StoredEvent(new EventId("e1", 8), null, "[1,2]"));
    assertEquals("{\"type\":\"event\",\"topic\":\"t\",\"id\":\"e1-8\",\"data\":[1,2]}", plain.frame());
  }

  @Test
  void anEphemeralEventHasNoIdAndSaysSo() {
    JsonObject bus = EphemeralEvent.toJson("board.x", "cursor", "{\"x\":1}");
    assertEquals(new JsonObject().put("type", "event").put("topic", "board.x").put("ephemeral", true)
        .put("event", "cursor").put("data", new JsonObject().put("x", 1)), new JsonObject(EphemeralEvent.frame(bus)));
    assertEquals(new JsonObject().put("type", "event").put("topic", "t").put("ephemeral", true).put("data", "plain"),
        new JsonObject(EphemeralEvent.frame(EphemeralEvent.toJson("t", null, "\"plain\""))));
  }

  @Test
  void repliesCarryTheTopicAndTheRefOfTheirRequest() {
    assertEquals(new JsonObject().put("type", "published").put("topic", "t").put("id", "e-1").put("ref", "r"),
        TopicFrames.published("t", "e-1", "r"));
    assertEquals(new JsonObject().put("type", "published").put("topic", "t"), TopicFrames.published("t", null, null));
    assertEquals(new JsonObject().put("type", "error").put("code", "forbidden").put("message", "no")
        .put("topic", "t").put("ref", "r"), TopicFrames.error(io.switchboard.common.ErrorCode.FORBIDDEN, "no", "t", "r"));
  }
}
