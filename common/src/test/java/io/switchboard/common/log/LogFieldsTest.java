package io.switchboard.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The ids a line is about are fields of its JSON object, and stay out of its text. */
class LogFieldsTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger logger = context.getLogger("io.switchboard.test.LogFieldsTest");
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    events.start();
    logger.addAppender(events);
  }

  @AfterEach
  void release() {
    logger.detachAppender(events);
  }

  @Test
  void aLineAboutARoomAndPeerCarriesThemInItsJsonKvpList() {
    logger.atInfo().addKeyValue(LogFields.PEER, "p-1").addKeyValue(LogFields.ROOM, "lobby")
        .log("A merge put peer {} back in room {}, which it left: taking it out", "p-1", "lobby");

    JsonObject line = json(events.list.get(0));
    assertEquals("A merge put peer p-1 back in room lobby, which it left: taking it out",
        line.getString("formattedMessage"));
    JsonObject fields = fields(line);
    assertEquals("p-1", fields.getString("peer"));
    assertEquals("lobby", fields.getString("room"));
  }

  @Test
  void aLimitLineCarriesItsKindAndTheTopicItRefused() {
    new LimitLog(logger, 60_000).hit("topic-cap", LogFields.of(LogFields.TOPIC, "news"),
        "the cluster holds SSE_MAX_TOPICS ({}) topics; topic {} not created", 10, "news");

    ILoggingEvent event = events.list.get(0);
    assertEquals("WARN", event.getLevel().toString());
    JsonObject fields = fields(json(event));
    assertEquals("topic-cap", fields.getString("limit"));
    assertEquals("news", fields.getString("topic"));
  }

  @Test
  void aNullIdIsLeftOut() {
    new LimitLog(logger, 60_000).hit("connections-per-user", LogFields.of(LogFields.USER, null,
        LogFields.CLIENT, "10.0.0.7"), "refused a connection from {}", "10.0.0.7");

    JsonObject fields = fields(json(events.list.get(0)));
    assertEquals("10.0.0.7", fields.getString("client"));
    assertTrue(!fields.containsKey("user"), fields.encode());
  }

  @Test
  void theTextLineIsTheMessageAloneAsBefore() {
    logger.atInfo().addKeyValue(LogFields.TOPIC, "news").log("SSE stream of topic {} ended", "news");

    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern("%-5level [%thread] - %msg");
    layout.start();
    assertEquals("INFO  [" + Thread.currentThread().getName() + "] - SSE stream of topic news ended",
        layout.doLayout(events.list.get(0)));
  }

  private JsonObject json(ILoggingEvent event) {
    byte[] bytes = LogFormat.jsonEncoder(context).encode(event);
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8).trim());
  }

  /** JsonEncoder writes {@code kvpList} as an array of one-field objects: here merged into one. */
  private static JsonObject fields(JsonObject line) {
    JsonObject fields = new JsonObject();
    JsonArray list = line.getJsonArray("kvpList", new JsonArray());
    list.forEach(pair -> fields.mergeIn((JsonObject) pair));
    return fields;
  }
}
