package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.await;
import static io.switchboard.gateway.auth.TestKeys.bearer;
import static io.switchboard.gateway.auth.TestKeys.claims;
import static io.switchboard.gateway.auth.TestKeys.refusal;
import static io.switchboard.gateway.auth.TestKeys.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Keys from AUTH_JWKS_URL: rotation without restart, and an issuer that goes away. */
class JwksRotationTest {

  private static final Duration HOUR = Duration.ofHours(1);

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger fetches = new AtomicInteger();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private volatile JsonObject published;
  /** When set, the next fetch waits for the test to answer it. */
  private volatile Promise<HttpServerResponse> held;
  private HttpServer issuer;
  private URI url;

  @BeforeEach
  void startIssuer() {
    issuer = await(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      JsonObject keys = published;
      Promise<HttpServerResponse> hold = held;
      if (hold != null) {
        held = null;
        hold.complete(request.response().putHeader("Content-Type", "application/json"));
      } else if (keys == null) {
        request.response().setStatusCode(503).end("down");
      } else {
        request.response().putHeader("Content-Type", "application/json").end(keys.encode());
      }
    }).listen(0, "127.0.0.1"));
    url = URI.create("http://127.0.0.1:" + issuer.actualPort() + "/keys");
    logs.start();
    ((Logger) LoggerFactory.getLogger(JwksKeys.class)).addAppender(logs);
  }

  @AfterEach
  void close() {
    ((Logger) LoggerFactory.getLogger(JwksKeys.class)).detachAppender(logs);
    await(vertx.close());
  }

  private Authenticator authenticator(Duration minReload) {
    JwksVerifier verifier = await(JwksVerifier.start(vertx, url, url.toString(), minReload));
    return new CheckingAuthenticator(List.of(verifier), new ClaimRules(null, null), new ApiKeys(List.of()));
  }

  private static JsonObject keySet(JsonObject... keys) {
    return new JsonObject().put("keys", new JsonArray(List.of((Object[]) keys)));
  }

  private String token(KeyPair keys, String algorithm, String kid, String sub) {
    return sign(vertx, algorithm, TestKeys.privatePem(keys), kid, claims(sub, HOUR));
  }

  @Test
  void aTokenWithANewKeyIdIsAcceptedWithoutARestart() throws Exception {
    KeyPair first = TestKeys.rsa();
    KeyPair second = TestKeys.ec("secp256r1");
    published = keySet(TestKeys.jwk(first, "k1"));
    Authenticator authenticator = authenticator(Duration.ZERO);
    assertEquals("alice", await(authenticator.authenticate(bearer(token(first, "RS256", "k1", "alice")))).sub());

    published = keySet(TestKeys.jwk(second, "k2"));
    assertEquals("bob", await(authenticator.authenticate(bearer(token(second, "ES256", "k2", "bob")))).sub());
    assertEquals(2, fetches.get());
  }

  @Test
  void theCachedKeysKeepWorkingWhileTheIssuerIsUnreachable() throws Exception {
    KeyPair keys = TestKeys.rsa();
    published = keySet(TestKeys.jwk(keys, "k1"));
    Authenticator authenticator = authenticator(Duration.ZERO);
    String token = token(keys, "RS256", "k1", "alice");
    await(authenticator.authenticate(bearer(token)));

    await(issuer.close());
    // A token naming an unknown key makes the gateway try the issuer, which fails.
    AuthFailure unknown = refusal(authenticator.authenticate(bearer(token(TestKeys.rsa(), "RS256", "k9", "eve"))));
    assertEquals("The token is signed with an unknown key", unknown.getMessage());
    assertTrue(logs.list.stream().anyMatch(event -> event.getLevel() == Level.WARN
        && event.getFormattedMessage().contains("the keys loaded before stay in use")), logs.list::toString);
    assertEquals("alice", await(authenticator.authenticate(bearer(token))).sub());
  }

  @Test
  void unknownKeysMakeTheKeysReloadAtMostOncePerInterval() throws Exception {
    published = keySet(TestKeys.jwk(TestKeys.rsa(), "k1"));
    Authenticator authenticator = authenticator(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      refusal(authenticator.authenticate(bearer(token(TestKeys.rsa(), "RS256", "made-up-" + i, "eve"))));
    }
    assertEquals(1, fetches.get());
  }

  @Test
  void untilTheKeysFirstLoadTokensAreRefusedAsUnavailable() throws Exception {
    KeyPair keys = TestKeys.rsa();
    Authenticator authenticator = authenticator(Duration.ZERO);
    String token = token(keys, "RS256", "k1", "alice");
    AuthFailure failure = refusal(authenticator.authenticate(bearer(token)));
    assertEquals(AuthFailure.Reason.UNAVAILABLE, failure.reason());
    assertEquals(503, failure.reason().httpStatus());

    published = keySet(TestKeys.jwk(keys, "k1"));
    assertEquals("alice", await(authenticator.authenticate(bearer(token))).sub());
  }

  @Test
  void aTokenThatWaitedForKeysCompletesOnItsCallersContext() throws Exception {
    KeyPair first = TestKeys.rsa();
    published = keySet(TestKeys.jwk(first, "k1"));
    Authenticator authenticator = authenticator(Duration.ZERO);
    KeyPair second = TestKeys.rsa();
    published = keySet(TestKeys.jwk(second, "k2"));
    String token = token(second, "RS256", "k2", "bob");
    Promise<HttpServerResponse> fetch = Promise.promise();
    held = fetch;
    // One caller starts the load of the new key; another, on another context, joins it.
    Context starter = vertx.getOrCreateContext();
    Context joiner = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    starter.runOnContext(v -> {
      authenticator.authenticate(bearer(token));
      started.complete();
    });
    await(started.future());
    Promise<Context> completedOn = Promise.promise();
    Promise<Void> joined = Promise.promise();
    joiner.runOnContext(v -> {
      authenticator.authenticate(bearer(token))
          .onComplete(result -> completedOn.complete(Vertx.currentContext()));
      joined.complete();
    });
    await(joined.future());
    await(fetch.future()).end(published.encode());
    assertSame(joiner, await(completedOn.future()));
  }

  @Test
  void expiredTokensAreRefusedWhateverSignedThem() throws Exception {
    KeyPair keys = TestKeys.rsa();
    published = keySet(TestKeys.jwk(keys, "k1"));
    Authenticator authenticator = authenticator(Duration.ZERO);
    String expired = sign(vertx, "RS256", TestKeys.privatePem(keys), "k1", claims("alice", Duration.ofSeconds(-60)));
    Future<Grants> result = authenticator.authenticate(bearer(expired));
    assertEquals(AuthFailure.Reason.INVALID, refusal(result).reason());
  }
}
