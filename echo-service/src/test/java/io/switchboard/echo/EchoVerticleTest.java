package io.switchboard.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.echo.EchoBatch;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EchoVerticleTest {

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    vertx.deployVerticle(new EchoVerticle("test-node")).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void answersABatchWithOneReplyPerMessageInOrder(Vertx vertx, VertxTestContext ctx) {
    Buffer bytes = Buffer.buffer(new byte[] {9, 8, 7});
    Buffer batch = new EchoBatch().addText("one").addBinary(bytes).addText("dré").toBuffer();
    vertx.eventBus().<Buffer>request(Addresses.ECHO_BATCH, batch)
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(List.of("Server received: one", bytes, "Server received: dré"),
              EchoBatch.decode(reply.body()));
          ctx.completeNow();
        })));
  }

  @Test
  void rejectsAMalformedBatchWithBadRequest(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().request(Addresses.ECHO_BATCH, Buffer.buffer(new byte[] {0, 0, 0, 2}))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertEquals(ErrorCode.BAD_REQUEST.busCode(), ((ReplyException) err).failureCode());
          ctx.completeNow();
        })));
  }

  @Test
  void answersLivenessProbes(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.probe(io.switchboard.common.ServiceRole.ECHO), null)
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("test-node", reply.body().getString("node"));
          assertEquals("echo", reply.body().getString("role"));
          ctx.completeNow();
        })));
  }
}
