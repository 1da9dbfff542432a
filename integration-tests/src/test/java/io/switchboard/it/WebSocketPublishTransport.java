package io.switchboard.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * WebSocketPublishTransport publishes over {@code /ws/topics} as the SDK does: one connection kept
 * open, each publish with its idempotency key as {@code ref}. When the connection drops (a gateway
 * drained with {@code 1001}, killed, or cut off), the next attempt connects to the gateway it is
 * given and sends the publish again with the same {@code ref}.
 */
final class WebSocketPublishTransport implements PublishTransport {

  /** Error codes of a publish that a client retries with the same {@code ref} (docs/protocol.md). */
  private static final Set<String> RETRYABLE = Set.of("no-quorum", "service-unavailable", "timeout",
      "rate-limited");
  private static final Duration ANSWER = Duration.ofSeconds(10);

  /** The end of a connection: its close code, or -1 for an error. */
  private record Closed(int code, String reason) {
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private WebSocket socket;
  private BlockingQueue<Object> inbox;

  @Override
  public String name() {
    return "WebSocket";
  }

  @Override
  public String attempt(int port, String topic, String key, JsonObject data)
      throws RetryableAnswer, IOException, InterruptedException {
    if (socket == null) {
      open(port);
    }
    String frame = new JsonObject().put("type", "publish").put("topic", topic).put("data", data)
        .put("ref", key).encode();
    try {
      socket.sendText(frame, true).get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      drop();
      throw new IOException("could not send publish " + key + ": " + e, e);
    }
    long deadline = System.nanoTime() + ANSWER.toNanos();
    for (;;) {
      Object next = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null || next instanceof Closed) {
        drop();
        throw new IOException(next == null ? "no answer within " + ANSWER : "connection ended: " + next);
      }
      JsonObject reply = new JsonObject((String) next);
      if (!key.equals(reply.getString("ref"))) {
        continue;
      }
      if ("published".equals(reply.getString("type"))) {
        return reply.getString("id");
      }
      String code = reply.getString("code");
      if ("error".equals(reply.getString("type")) && RETRYABLE.contains(code)) {
        throw new RetryableAnswer("ws " + code);
      }
      throw new AssertionError("Publish " + key + " answered " + reply.encode());
    }
  }

  private void open(int port) throws IOException, InterruptedException {
    BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    try {
      socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/topics"), new Listener(frames))
          .get(5, TimeUnit.SECONDS);
      inbox = frames;
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not open /ws/topics on " + port + ": " + e, e);
    }
  }

  private void drop() {
    if (socket != null) {
      socket.abort();
      socket = null;
    }
  }

  /** Puts each whole text frame, then {@link Closed}, on the connection's queue. */
  private static final class Listener implements WebSocket.Listener {
    private final BlockingQueue<Object> frames;
    private final StringBuilder partial = new StringBuilder();

    Listener(BlockingQueue<Object> frames) {
      this.frames = frames;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      frames.add(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      frames.add(new Closed(-1, String.valueOf(error)));
    }
  }
}
