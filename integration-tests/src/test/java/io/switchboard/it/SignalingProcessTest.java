package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signaling across real {@code java -jar} processes: one signaling-service and two gateway-service
 * processes, and a gateway killed with SIGKILL.
 */
class SignalingProcessTest {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Duration START = Duration.ofSeconds(90);

  private final List<JarProcess> processes = new ArrayList<>();
  private final Vertx client = Vertx.vertx();
  private final Map<String, String> env = clusterEnv();

  @AfterEach
  void stopProcesses() {
    processes.forEach(JarProcess::kill);
    client.close();
  }

  @Test
  void peersOnAKilledGatewayProcessAreReportedLeftWithinTenSeconds() {
    start("signaling-service").awaitLine("Started signaling-service", START);
    JarProcess gatewayA = start("gateway-service");
    JarProcess gatewayB = start("gateway-service");
    gatewayA.awaitLine("Started gateway-service", START);
    gatewayB.awaitLine("Started gateway-service", START);

    String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestSocket a = TestSocket.connect(client, gatewayA.port(), "/ws/signaling");
         TestSocket b = TestSocket.connect(client, gatewayB.port(), "/ws/signaling")) {
      String idA = a.nextOfType("welcome", Duration.ofSeconds(10)).getString("id");
      String idB = b.nextOfType("welcome", Duration.ofSeconds(10)).getString("id");
      a.send(new JsonObject().put("type", "join").put("room", room));
      a.nextOfType("joined", Duration.ofSeconds(10));
      b.send(new JsonObject().put("type", "join").put("room", room));
      assertEquals(idA, b.nextOfType("joined", Duration.ofSeconds(10)).getJsonArray("peers").getString(0));
      assertEquals(idB, a.nextOfType("peer-joined", Duration.ofSeconds(10)).getString("data"));

      JsonObject offer = new JsonObject().put("type", "sdp").put("target", idB)
          .put("sdp", new JsonObject().put("type", "offer").put("sdp", "v=0\r\n"));
      a.send(offer);
      assertEquals(offer.copy().put("from", idA), b.nextOfType("sdp", Duration.ofSeconds(10)));
      JsonObject answer = new JsonObject().put("type", "sdp").put("target", idA)
          .put("sdp", new JsonObject().put("type", "answer").put("sdp", "v=0\r\n"));
      b.send(answer);
      assertEquals(answer.copy().put("from", idB), a.nextOfType("sdp", Duration.ofSeconds(10)));

      long killedAt = System.nanoTime();
      gatewayB.kill();
      JsonObject left = a.nextOfType("peer-left", Duration.ofSeconds(10));
      assertEquals(new JsonObject().put("type", "peer-left").put("room", room).put("data", idB), left);
      assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(10));
    }
  }

  /** A cluster of its own: a random name, and Hazelcast ports from a free one on, seeded there. */
  private static Map<String, String> clusterEnv() {
    Map<String, String> env = new HashMap<>();
    int base = 65535;
    // Members take the ports after the base: leave room for them below 65535.
    while (base > 65000) {
      try (ServerSocket probe = new ServerSocket(0)) {
        base = probe.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    env.put("CLUSTER_NAME", "sb-proc-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(base));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + base);
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    return env;
  }

  private JarProcess start(String jar) {
    JarProcess process = JarProcess.start(jar, env);
    processes.add(process);
    return process;
  }

  /** A service fat jar run with {@code java -jar}, its output collected line by line. */
  private static final class JarProcess {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private int port = -1;

    private JarProcess(Process process) {
      this.process = process;
      Thread reader = new Thread(this::readOutput, "output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    static JarProcess start(String name, Map<String, String> env) {
      Path root = Path.of(System.getProperty("switchboard.root", ".."));
      Path jar = root.resolve(name).resolve("target").resolve(name + ".jar");
      if (!Files.isRegularFile(jar)) {
        throw new AssertionError("Build the fat jar first: " + jar);
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
          "-jar", jar.toString()).redirectErrorStream(true);
      builder.environment().putAll(env);
      try {
        return new JarProcess(builder.start());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void readOutput() {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
              port = Integer.parseInt(matcher.group(1));
            }
            lines.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // The process is gone.
      }
    }

    void awaitLine(String text, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (lines) {
        while (lines.stream().noneMatch(line -> line.contains(text))) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0 || !process.isAlive()) {
            throw new AssertionError("No '" + text + "' from process " + process.pid() + ":\n"
                + String.join("\n", lines));
          }
          try {
            lines.wait(Math.min(left, 500));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
      }
    }

    int port() {
      synchronized (lines) {
        return port;
      }
    }

    /** SIGKILL: no shutdown hook runs, the process leaves the cluster without a word. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
