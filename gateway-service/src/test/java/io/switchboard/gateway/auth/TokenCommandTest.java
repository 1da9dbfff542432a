package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code switchboard token}: the token it prints verifies, and mistakes exit with status 2. */
class TokenCommandTest {

  private final Vertx vertx = Vertx.vertx();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private int run(Map<String, String> env, String... args) {
    return TokenCommand.run(List.of(args), new Env(env),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void theMintedTokenVerifiesWithTheSameSecretAndCarriesTheOptions() {
    Map<String, String> env = Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", TestKeys.SECRET,
        "AUTH_JWT_ISSUER", "switchboard-cli", "AUTH_JWT_AUDIENCE", "switchboard");
    int status = run(env, "--sub", "alice", "--ttl", "600", "--subscribe", "chat.*,news",
        "--subscribe", "alerts", "--publish", "chat.*", "--rooms", "team-*", "--admin");
    assertEquals(0, status, err::toString);
    String token = out.toString(StandardCharsets.UTF_8).trim();

    Authenticator authenticator = await(Authenticator.create(vertx, AuthConfig.from(new Env(env))));
    Grants grants = await(authenticator.authenticate(TestKeys.bearer(token)));
    assertEquals("alice", grants.sub());
    assertEquals(Patterns.of("chat.*", "news", "alerts"), grants.subscribe());
    assertEquals(Patterns.of("chat.*"), grants.publish());
    assertEquals(Patterns.of("team-*"), grants.rooms());
    assertTrue(grants.isAdmin());
    long left = grants.exp() - System.currentTimeMillis() / 1000;
    assertTrue(left > 590 && left <= 600, "expires in " + left + " s");
  }

  @Test
  void withoutTheSecretItExitsWithStatusTwoNamingIt() {
    assertEquals(2, run(Map.of(), "--sub", "alice"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("AUTH_JWT_SECRET"), err::toString);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badArgumentsPrintTheUsage() {
    Map<String, String> env = Map.of("AUTH_JWT_SECRET", TestKeys.SECRET);
    for (String[] args : List.of(new String[] {}, new String[] {"--sub"}, new String[] {"--sub", "a", "--ttl", "0"},
        new String[] {"--sub", "a", "--colour", "red"}, new String[] {"--sub", "a", "--rooms", "a,,b"},
        new String[] {"alice"}, new String[] {"--sub", "a", "--bogus"})) {
      err.reset();
      assertEquals(2, run(env, args), String.join(" ", args));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: token"), err::toString);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("token: unknown option --bogus"), err::toString);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheUsageAndSucceeds() {
    assertEquals(0, run(Map.of(), "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: token"), out::toString);
  }
}
