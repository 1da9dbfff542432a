package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection is warned before its token expires, then told it has. */
class TokenExpiryTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private static Grants expiringIn(long seconds) {
    return Grants.user("alice", System.currentTimeMillis() / 1000 + seconds, Patterns.none(),
        Patterns.none(), Patterns.none(), false);
  }

  @Test
  void theWarningComesBeforeTheExpiryWhichComesNoEarlierThanExp() {
    Grants grants = expiringIn(2);
    List<String> events = new CopyOnWriteArrayList<>();
    Promise<Long> expired = Promise.promise();
    TokenExpiry.watch(vertx, grants, Duration.ofSeconds(1), () -> events.add("warning"), () -> {
      events.add("expired");
      expired.complete(System.currentTimeMillis());
    });
    long at = await(expired.future());
    assertEquals(List.of("warning", "expired"), events);
    assertTrue(at >= grants.exp() * 1000, "expired at " + at + ", before exp " + grants.exp());
  }

  @Test
  void aTokenWithLessLeftThanTheWarningIsWarnedAtOnce() {
    Promise<Void> warned = Promise.promise();
    TokenExpiry.watch(vertx, expiringIn(3600), Duration.ofHours(2), warned::complete, () -> { });
    await(warned.future());
  }

  @Test
  void aCancelledWatchCallsNothing() {
    List<String> events = new CopyOnWriteArrayList<>();
    // Watched and cancelled in one turn of an event loop, as a connection does: no timer can fire
    // in between, however busy the machine.
    Promise<Void> cancelled = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      TokenExpiry.watch(vertx, expiringIn(1), Duration.ofMillis(500), () -> events.add("warning"),
          () -> events.add("expired")).cancel();
      cancelled.complete();
    });
    await(cancelled.future());
    // A later watch on the same clock firing shows the cancelled one's time has passed.
    Promise<Void> later = Promise.promise();
    TokenExpiry.watch(vertx, expiringIn(2), Duration.ZERO, () -> { }, later::complete);
    await(later.future());
    assertEquals(List.of(), events);
  }

  @Test
  void grantsThatDoNotExpireStartNoTimers() {
    TokenExpiry.watch(vertx, Grants.apiKey(), Duration.ofSeconds(60), () -> { }, () -> { }).cancel();
    TokenExpiry.watch(vertx, Grants.open(), Duration.ofSeconds(60), () -> { }, () -> { }).cancel();
  }
}
