package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.auth.TokenMint;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded process, run from its packaged jar with {@code ACCESS_LOG=true}, logs each request
 * and WebSocket upgrade and never a token or API key; without it, none. With {@code LOG_FORMAT=json}
 * the ids a line is about are fields of its {@code kvpList}.
 */
class ProcessAccessLogTest {

  private static final Duration START = Duration.ofSeconds(180);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String JWT_SECRET = "process-access-log-secret-" + UUID.randomUUID();
  private static final String API_KEY = "process-access-log-key-" + UUID.randomUUID();
  private static final String TOPIC = "access-news";
  private static final String PUBLISH = "/api/topics/" + TOPIC + "/events";

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final String token = new TokenMint(vertx, JWT_SECRET, null, null).mint(new TokenMint.Claims(
      "ada", Duration.ofHours(1), List.of("*"), List.of("*"), List.of(), true));

  @AfterEach
  void stop() {
    processes.forEach(ServiceProcess::close);
    TestCluster.await(vertx.close());
  }

  private ServiceProcess launch(String name, String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of(
        "CLUSTER_NAME", "sb-access-" + UUID.randomUUID().toString().substring(0, 8),
        "HTTP_PORT", "0",
        "MANAGEMENT_HOST", "127.0.0.1",
        // One loop: the lines of requests answered one after another are written in that order.
        "GATEWAY_EVENT_LOOPS", "1",
        "AUTH_MODE", "jwt",
        "AUTH_JWT_SECRET", JWT_SECRET,
        "AUTH_API_KEYS", API_KEY,
        "SSE_MAX_BODY_BYTES", "64"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar("standalone", "switchboard"), env);
    processes.add(process);
    return process;
  }

  @Test
  void jsonAccessLinesNameEachRequestAndUpgradeAndNoCredentialIsWrittenAnywhere() {
    ServiceProcess process = launch("access-json", "ACCESS_LOG", "true", "LOG_FORMAT", "json");
    int port = process.awaitHttpPort(START);
    workload(port);

    JsonObject limit = awaitLine(process, line -> "WARN".equals(line.getString("level"))
        && "publish-too-large".equals(fields(line).getString("limit")));
    assertEquals(TOPIC, fields(limit).getString("topic"), limit.encode());
    List<JsonObject> lines = lines(process);
    List<JsonObject> before = lines.subList(0, indexOf(lines, limit));
    assertAccess(before, "/sse/" + TOPIC, 200);
    assertAccess(before, "/health", 200);
    assertAccess(before, "/api/rooms", 200);
    assertAccess(before, "/ws/echo", 101);
    JsonObject published = awaitLine(process, access(PUBLISH));
    assertEquals("413", fields(published).getString("status"));
    assertEquals("POST", fields(published).getString("method"));

    String output = process.output();
    for (String secret : List.of(token, token.substring(token.lastIndexOf('.') + 1), API_KEY, JWT_SECRET)) {
      assertFalse(output.contains(secret), "a credential in the log:\n" + output);
    }
  }

  @Test
  void withoutAccessLogNoRequestIsLogged() {
    ServiceProcess process = launch("access-off");
    int port = process.awaitHttpPort(START);
    workload(port);
    // Logged while the last request is answered, after the lines of those before it (the test above).
    process.awaitOutput(Pattern.compile("limit publish-too-large: Refusing a publish to topic " + TOPIC), WAIT);
    assertFalse(process.output().contains("io.switchboard.access"), process.output());
  }

  /**
   * An event stream, a public request, an API request with a bearer header and a WebSocket, each
   * with the token in the query too where it is accepted, then a publish with an API key that is
   * refused as too large, which logs a limit line.
   */
  private void workload(int port) {
    try (Socket stream = raw(port, "GET /sse/" + TOPIC + "?token=" + token, "Accept: text/event-stream")) {
      assertTrue(head(stream).startsWith("HTTP/1.1 200"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertEquals(200, Http.get(port, "/health").statusCode());
    assertEquals(200, Http.send(HttpRequest.newBuilder(Http.uri(port, "/api/rooms"))
        .header("Authorization", "Bearer " + token).GET().build()).statusCode());
    try (Socket ws = raw(port, "GET /ws/echo?token=" + token, "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: c3dpdGNoYm9hcmQtdGVzdA==", "Sec-WebSocket-Version: 13")) {
      assertTrue(head(ws).startsWith("HTTP/1.1 101"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertEquals(413, Http.send(HttpRequest.newBuilder(Http.uri(port, PUBLISH))
        .header("X-API-Key", API_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"" + "x".repeat(200) + "\"}")).build())
        .statusCode());
  }

  private static Socket raw(int port, String requestLine, String... headers) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) WAIT.toMillis());
    StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
        .append("\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    return socket;
  }

  /** The response's head, up to its blank line. */
  private static String head(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  private static void assertAccess(List<JsonObject> lines, String path, int status) {
    List<JsonObject> found = lines.stream().filter(access(path)).toList();
    assertEquals(1, found.size(), "one line for " + path + " before the limit line: " + lines);
    assertEquals(String.valueOf(status), fields(found.get(0)).getString("status"), found.get(0).encode());
  }

  private static Predicate<JsonObject> access(String path) {
    return line -> "io.switchboard.access".equals(line.getString("loggerName"))
        && path.equals(fields(line).getString("path"));
  }

  private static JsonObject awaitLine(ServiceProcess process, Predicate<JsonObject> wanted) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonObject line : lines(process)) {
        if (wanted.test(line)) {
          return line;
        }
      }
      ServiceProcess.pause(100);
    }
    throw new AssertionError("no such line within " + WAIT + ":\n" + process.output());
  }

  /** Every complete line of the output, each one JSON object. */
  private static List<JsonObject> lines(ServiceProcess process) {
    String output = process.output();
    List<JsonObject> lines = new ArrayList<>();
    for (String line : output.substring(0, output.lastIndexOf('\n') + 1).split("\n")) {
      if (!line.isBlank()) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  private static int indexOf(List<JsonObject> lines, JsonObject line) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals(line)) {
        return i;
      }
    }
    throw new AssertionError("not found: " + line);
  }

  /** JsonEncoder writes {@code kvpList} as an array of one-field objects: here merged into one. */
  private static JsonObject fields(JsonObject line) {
    JsonObject fields = new JsonObject();
    line.getJsonArray("kvpList", new JsonArray()).forEach(pair -> fields.mergeIn((JsonObject) pair));
    return fields;
  }
}
