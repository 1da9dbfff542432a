package io.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.transport.AccessLog;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the gateway's router does with requests that fail on their way. */
class RouterErrorsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  /** Every line, in the order written. */
  private final List<ILoggingEvent> lines = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event);
    }
  };

  @AfterEach
  void close() {
    root.detachAppender(capture);
    TestCluster.await(vertx.close());
  }

  @Test
  void aPublishWhoseClientLeavesMidBodyEndsWithoutAnErrorLine() throws Exception {
    capture.start();
    root.addAppender(capture);
    // One event loop, and the access log: each request's line is written before the next is served.
    int port = GatewayTestSupport.deploy(vertx,
        TestConfigs.gateway(Map.of("GATEWAY_EVENT_LOOPS", "1", "ACCESS_LOG", "true")),
        FixedClusterView.joinedNode()).actualPort();
    int started = lines.size();
    try (RawClient client = RawClient.connect(port)) {
      client.sendRaw("POST /api/topics/news/events HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"cut\":");
    }
    // The publish's line is written as its connection closes; then a request on a new connection,
    // served after whatever the close led to.
    await(access("POST /api/topics/news/events "));
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(200, client.get("/health").status());
    }
    List<ILoggingEvent> before = lines.subList(started, lines.indexOf(await(access("GET /health "))));
    List<ILoggingEvent> errors = before.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).collect(Collectors.toList());
    assertEquals(List.of(), messages(errors), "a client that left is not an error of the gateway");
  }

  private static Predicate<ILoggingEvent> access(String start) {
    return e -> AccessLog.LOGGER.equals(e.getLoggerName()) && e.getFormattedMessage().startsWith(start);
  }

  /** The first line {@code wanted} matches, waited for. */
  private ILoggingEvent await(Predicate<ILoggingEvent> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (ILoggingEvent line : lines) {
        if (wanted.test(line)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no such line within " + WAIT + "; seen " + messages(lines));
      }
      Thread.sleep(10);
    }
  }

  private static List<String> messages(List<ILoggingEvent> events) {
    return events.stream().map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).collect(Collectors.toList());
  }
}
