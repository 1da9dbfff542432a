package io.switchboard.bench.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RawSseStream against a TCP server that answers with bytes the test chooses, split where it likes. */
class RawSseStreamTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> ends = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A server that hands the socket to {@code answer} once it has read a request for /sse/t. */
  private int serve(Consumer<NetSocket> answer) throws Exception {
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      StringBuilder request = new StringBuilder();
      socket.handler(bytes -> {
        request.append(bytes.toString());
        if (request.indexOf("\r\n\r\n") >= 0 && request.indexOf("GET /sse/t HTTP/1.1\r\n") == 0) {
          socket.handler(null);
          answer.accept(socket);
        }
      });
    });
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private RawSseStream open(int port) throws Exception {
    NetClient client = vertx.createNetClient();
    return await(RawSseStream.open(client, "http://127.0.0.1:" + port + "/sse/t",
        new ProbeParser((seq, nanos) -> events.add(seq + "@" + nanos)), () -> ends.add("end")));
  }

  private void awaitEvents(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  @Test
  void undoesChunkedCodingWhereverTheBytesAreSplit() throws Exception {
    String response = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunk(": stream t\n\n")
        // A chunk extension is ignored.
        + chunk("id: 1\ndata: {\"seq\":1,\"t\":5}\n\n").replaceFirst("\r\n", ";ext=1\r\n")
        // An event may span chunks.
        + chunk("id: 2\ndata: {\"se") + chunk("q\":2,\"t\":6}\n\n");
    int port = serve(socket -> {
      // One byte per write: every state of the decoder is crossed at a buffer boundary.
      for (int i = 0; i < response.length(); i++) {
        socket.write(Buffer.buffer(response.substring(i, i + 1)));
      }
    });
    open(port);
    awaitEvents(2);
    assertEquals(List.of("1@5", "2@6"), events);
    assertTrue(ends.isEmpty());
  }

  @Test
  void readsABodyWithoutChunkedCodingAsItIs() throws Exception {
    int port = serve(socket -> socket.write(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            + "data: {\"seq\":1,\"t\":1}\n\ndata: {\"seq\":2,\"t\":2}\n\n"));
    open(port);
    awaitEvents(2);
    assertEquals(List.of("1@1", "2@2"), events);
  }

  @Test
  void failsToOpenOnAnotherStatusAndEndsWhenTheServerCloses() throws Exception {
    int refused = serve(socket -> socket.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    Exception failure = null;
    try {
      open(refused);
    } catch (Exception e) {
      failure = e;
    }
    assertTrue(failure != null && failure.getMessage().contains("404"), String.valueOf(failure));

    int closing = serve(socket -> socket.write(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n: x\n\n\r\n0\r\n\r\n"));
    open(closing);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ends.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of("end"), ends);
  }
}
