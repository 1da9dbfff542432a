package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.RawClient;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log ({@code ACCESS_LOG=true}) of a gateway: one line per request, never a credential. */
class AccessLogTest {

  private static final String SECRET = "s3cret-that-must-never-be-logged";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final LinkedBlockingQueue<ILoggingEvent> arriving = new LinkedBlockingQueue<>();
  /** Every line so far, in the order they were written. */
  private final List<ILoggingEvent> lines = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      arriving.add(event);
    }
  };
  private int port;

  private void start(String... variables) {
    capture.start();
    root.addAppender(capture);
    Map<String, String> env = new HashMap<>(Map.of("GATEWAY_EVENT_LOOPS", "1"));
    for (int i = 0; i < variables.length; i += 2) {
      env.put(variables[i], variables[i + 1]);
    }
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    port = GatewayTestSupport.deploy(vertx, TestConfigs.gateway(env), FixedClusterView.joinedNode())
        .actualPort();
  }

  @AfterEach
  void close() {
    root.detachAppender(capture);
    TestCluster.await(vertx.close());
  }

  @Test
  void aRequestIsOneLineWithItsPathButNeitherItsQueryNorItsCredentials() {
    start("ACCESS_LOG", "true", "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET + "-made-longer-for-hmac",
        "AUTH_API_KEYS", SECRET);
    int withKey;
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(200, client.get("/health?token=" + SECRET + "&x=1", "User-Agent: probe/1.0").status());
      assertEquals(401, client.get("/api/rooms", "Authorization: Bearer " + SECRET).status());
      // Past authentication: the rooms are not known without signaling-service, whatever the answer.
      withKey = client.get("/api/rooms", "X-API-Key: " + SECRET).status();
    }
    ILoggingEvent health = await(access("/health"));
    assertTrue(health.getFormattedMessage()
        .matches("GET /health 200 \\d+ bytes \\d+ ms 127\\.0\\.0\\.1 \"probe/1\\.0\" -"), health.getFormattedMessage());
    Map<String, String> fields = fields(health);
    assertEquals("GET", fields.get("method"));
    assertEquals("200", fields.get("status"));
    assertEquals("127.0.0.1", fields.get("client"));
    assertEquals("probe/1.0", fields.get("userAgent"));
    assertTrue(Long.parseLong(fields.get("bytes")) > 0, fields.toString());
    ILoggingEvent refused = await(access("/api/rooms"));
    assertEquals("401", fields(refused).get("status"));
    assertEquals(String.valueOf(withKey), fields(await(access("/api/rooms").and(e -> e != refused))).get("status"));
    assertNoSecret();
  }

  @Test
  void aRequestWithAUserTokenNamesItsUserButNotItsToken() {
    String secret = SECRET + "-made-longer-for-hmac";
    start("ACCESS_LOG", "true", "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", secret);
    String token = JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)))
        .generateToken(new JsonObject().put("sub", "alice\nforged line").put("subscribe", new JsonArray().add("news"))
            .put("exp", System.currentTimeMillis() / 1000 + 600), new JWTOptions());
    try (RawClient client = RawClient.connect(port)) {
      // Authenticated, then refused for want of a history service: the line is written all the same.
      client.get("/api/topics/news/events", "Authorization: Bearer " + token);
      assertEquals(200, client.get("/health").status());
    }
    ILoggingEvent line = await(access("/api/topics/news/events"));
    assertEquals("alice?forged line", fields(line).get("user"));
    assertTrue(line.getFormattedMessage().endsWith("\" \"alice?forged line\""), line.getFormattedMessage());
    assertFalse(fields(await(access("/health"))).containsKey("user"), "no token, no user");
    assertTrue(lines.stream().noneMatch(e -> e.getFormattedMessage().contains(token)), "the token is never written");
  }

  @Test
  void anUpgradeIsOneLineWrittenWhenItIsAnswered101() {
    start("ACCESS_LOG", "true");
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(101, client.upgrade("/ws/echo?token=" + SECRET).status());
      Map<String, String> fields = fields(await(access("/ws/echo")));
      assertEquals("101", fields.get("status"));
      assertFalse(fields.containsKey("userAgent"), "no user agent, no field: " + fields);
      client.sendFrame(RawClient.CLOSE, true, new byte[] {0x03, (byte) 0xe8});
      assertTrue(client.closedWithin(WAIT));
    }
    // A request after the socket is gone: any other line of the upgrade would come before its line.
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(200, client.get("/health").status());
    }
    await(access("/health"));
    assertEquals(1, lines.stream().filter(access("/ws/echo")).count(), "one line for the upgrade");
    assertNoSecret();
  }

  @Test
  void aRequestWhoseClientLeavesBeforeItsAnswerIsLogged499() {
    start("ACCESS_LOG", "true");
    try (RawClient client = RawClient.connect(port)) {
      client.sendRaw("POST /api/topics/news/events HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"cut\":");
    }
    Map<String, String> fields = fields(await(access("/api/topics/news/events")));
    assertEquals("499", fields.get("status"));
    assertEquals("0", fields.get("bytes"));
  }

  @Test
  void anUpgradeRefusedBeforeItsSocketOpensIsLoggedWithItsStatus() {
    start("ACCESS_LOG", "true");
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(400, client.get("/ws/echo").status());
    }
    assertEquals("400", fields(await(access("/ws/echo"))).get("status"));
  }

  @Test
  void eachLineIsWrittenBeforeTheGatewayServesTheNextRequest() {
    start("ACCESS_LOG", "true", "LIMIT_CONNECTIONS_PER_IP", "1");
    requestsThenARefusal();
    ILoggingEvent refusal = await(e -> e.getFormattedMessage().startsWith("limit connections-per-ip"));
    List<ILoggingEvent> before = lines.subList(0, lines.indexOf(refusal));
    assertEquals(1, before.stream().filter(access("/health")).count());
    assertEquals(1, before.stream().filter(access("/ws/echo")).count());
  }

  @Test
  void withoutAccessLogNoRequestIsLogged() {
    start("LIMIT_CONNECTIONS_PER_IP", "1");
    requestsThenARefusal();
    // The refusal is logged after the requests before it would have been (the test above).
    await(e -> e.getFormattedMessage().startsWith("limit connections-per-ip"));
    assertFalse(lines.stream().anyMatch(e -> AccessLog.LOGGER.equals(e.getLoggerName())), "no access line");
  }

  /** A request and a WebSocket, then a second WebSocket that the limit of one per address refuses. */
  private void requestsThenARefusal() {
    try (RawClient first = RawClient.connect(port); RawClient second = RawClient.connect(port)) {
      assertEquals(200, first.get("/health").status());
      assertEquals(101, first.upgrade("/ws/echo").status());
      assertEquals(429, second.upgrade("/ws/echo").status());
    }
  }

  /** Waits for the first line that {@code wanted} matches, in the order they were written. */
  private ILoggingEvent await(Predicate<ILoggingEvent> wanted) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int checked = 0;
    try {
      while (true) {
        for (; checked < lines.size(); checked++) {
          if (wanted.test(lines.get(checked))) {
            return lines.get(checked);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such line within " + WAIT + "; seen: "
              + lines.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList()));
        }
        ILoggingEvent next = arriving.poll(left, TimeUnit.NANOSECONDS);
        if (next != null) {
          lines.add(next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void assertNoSecret() {
    arriving.drainTo(lines);
    for (ILoggingEvent e : lines) {
      String all = e.getFormattedMessage() + " " + e.getKeyValuePairs() + " " + Arrays.toString(e.getArgumentArray());
      assertFalse(all.contains(SECRET), "a credential in the log: " + all);
    }
  }

  private static Predicate<ILoggingEvent> access(String path) {
    return e -> AccessLog.LOGGER.equals(e.getLoggerName()) && path.equals(fields(e).get("path"));
  }

  private static Map<String, String> fields(ILoggingEvent e) {
    return e.getKeyValuePairs() == null ? Map.of() : e.getKeyValuePairs().stream()
        .collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
  }
}
