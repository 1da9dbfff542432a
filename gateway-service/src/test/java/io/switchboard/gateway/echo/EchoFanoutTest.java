package io.switchboard.gateway.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.Addresses;
import io.switchboard.common.echo.EchoBatch;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.FakeWebSocket;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.node.EchoConfig;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answers of one echo batch, shared by several connections, when one socket closed meanwhile. */
class EchoFanoutTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aSocketClosedWhileItsMessageIsAtEchoDoesNotKeepTheOthersFromTheirAnswers() throws Exception {
    TestCluster.await(vertx.eventBus().<Buffer>consumer(Addresses.ECHO_BATCH, message -> {
      EchoBatch replies = new EchoBatch();
      EchoBatch.read(message.body(), (kind, bytes, start, length) -> replies.add(kind,
          "Server received: ".getBytes(StandardCharsets.UTF_8), bytes, start, length));
      message.reply(replies.toBuffer());
    }).completion());
    EchoConfig config = TestConfigs.gateway().echo();
    Context context = vertx.getOrCreateContext();
    List<FakeWebSocket> sockets = new ArrayList<>();
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    Promise<Void> sent = Promise.promise();
    context.runOnContext(v -> {
      EchoForwarder forwarder = new EchoForwarder(context, vertx.eventBus(), config);
      for (int i = 0; i < 3; i++) {
        FakeWebSocket socket = new FakeWebSocket();
        CompletableFuture<Void> onClose = new CompletableFuture<>();
        new EchoSession(socket.socket(), forwarder, config, new RateMeter(),
            SocketAuth.open().access(vertx, Grants.open()), () -> onClose.complete(null)).start();
        socket.receive("m" + i);
        sockets.add(socket);
        closed.add(onClose);
      }
      // The three messages travel in one batch at the end of this turn; its answers come after.
      sockets.get(1).closeUnderItsSession();
      sent.complete();
    });
    TestCluster.await(sent.future());
    assertEquals("Server received: m0", sockets.get(0).nextText(WAIT));
    assertEquals("Server received: m2", sockets.get(2).nextText(WAIT));
    // Its answer found the socket closed: the session let it go without waiting for the close handler.
    closed.get(1).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
