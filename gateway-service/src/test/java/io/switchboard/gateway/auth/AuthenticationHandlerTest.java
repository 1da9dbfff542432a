package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.SECRET;
import static io.switchboard.gateway.auth.TestKeys.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router-level authentication on a plain Vert.x router: what each mode lets through, which
 * routes are public, where a token may come from, and what the refusals look like.
 */
class AuthenticationHandlerTest {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient web = WebClient.create(vertx);
  private final TokenMint mint = new TokenMint(vertx, SECRET, null, null);

  @AfterEach
  void close() {
    web.close();
    await(vertx.close());
  }

  /** Serves, behind the handler, routes that answer with who the grants name. */
  private int serve(AuthenticationHandler handler) {
    Router router = Router.router(vertx);
    router.route().handler(handler);
    router.get("/health").handler(ctx -> answer(ctx, ctx.get("switchboard.grants") == null ? "none" : "some"));
    router.get("/api/who").handler(ctx -> answer(ctx, who(RequestGrants.of(ctx))));
    router.get("/sse/:topic").method(HttpMethod.HEAD).handler(ctx -> answer(ctx, who(RequestGrants.of(ctx))));
    router.post("/api/body").handler(BodyHandler.create(false))
        .handler(ctx -> answer(ctx, who(RequestGrants.of(ctx)) + ":" + ctx.body().asString()));
    return await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")).actualPort();
  }

  private static String who(Grants grants) {
    return grants.kind() + (grants.sub() == null ? "" : "/" + grants.sub());
  }

  private static void answer(RoutingContext ctx, String text) {
    ctx.response().end(text);
  }

  private int serveJwt() {
    AuthConfig config = AuthConfig.from(new Env(Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET,
        "AUTH_API_KEYS", "backend-key")));
    return serve(AuthenticationHandler.create(await(Authenticator.create(vertx, config)), config.mode()));
  }

  private String token(String sub) {
    return mint.mint(new TokenMint.Claims(sub, Duration.ofMinutes(5), List.of("chat.*"), List.of(), List.of(),
        false));
  }

  private HttpResponse<Buffer> get(int port, String path, String... headers) {
    var request = web.get(port, "127.0.0.1", path);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return await(TestCluster.onContext(vertx, request::send));
  }

  @Test
  void openModeGivesEveryRequestOpenGrantsWithoutCredentials() {
    int port = serve(AuthenticationHandler.create(Authenticator.open(), AuthConfig.Mode.OPEN));
    assertEquals("OPEN", get(port, "/api/who").bodyAsString());
    assertEquals("some", get(port, "/health").bodyAsString());
  }

  @Test
  void publicRoutesNeedNoCredentialsAndGetNoGrantsInJwtMode() {
    int port = serveJwt();
    HttpResponse<Buffer> health = get(port, "/health");
    assertEquals(200, health.statusCode());
    assertEquals("none", health.bodyAsString());
    for (String path : List.of("/", "/health", "/ready", "/chat.html", "/js/switchboard.js", "/css/switchboard.css",
        "/favicon.ico")) {
      assertTrue(PublicRoutes.isPublic(HttpMethod.GET, path), path);
      assertTrue(PublicRoutes.isPublic(HttpMethod.HEAD, path), path);
    }
    for (String path : List.of("/api/cluster", "/sse", "/sse/chat.x", "/ws/echo", "/a/b.html", "/.html", "/nope")) {
      assertFalse(PublicRoutes.isPublic(HttpMethod.GET, path), path);
    }
    assertFalse(PublicRoutes.isPublic(HttpMethod.POST, "/health"));
  }

  @Test
  void aRequestWithoutCredentialsIsRefusedWithUnauthorizedAndABearerChallenge() {
    HttpResponse<Buffer> response = get(serveJwt(), "/api/who");
    assertEquals(401, response.statusCode());
    assertEquals("unauthorized", response.bodyAsJsonObject().getString("code"));
    assertEquals(AuthenticationHandler.CHALLENGE, response.getHeader("WWW-Authenticate"));
  }

  @Test
  void aPathSpelledThroughAPublicDirectoryIsStillProtected() {
    assertEquals(401, get(serveJwt(), "/js/../api/who").statusCode());
    assertEquals(401, get(serveJwt(), "/js/%2e%2e/api/who").statusCode());
  }

  @Test
  void aBearerTokenOrAnApiKeyPassesItsGrantsToTheRoute() {
    int port = serveJwt();
    assertEquals("USER/alice", get(port, "/api/who", "Authorization", "Bearer " + token("alice")).bodyAsString());
    assertEquals("API_KEY", get(port, "/api/who", "X-API-Key", "backend-key").bodyAsString());
    HttpResponse<Buffer> forged = get(port, "/api/who", "Authorization", "Bearer " + token("alice") + "x");
    assertEquals(401, forged.statusCode());
  }

  @Test
  void theTokenParameterIsTakenOnStreamsAndRefusedOnOtherCalls() {
    int port = serveJwt();
    String token = token("bob");
    assertEquals("USER/bob", get(port, "/sse/chat.x?token=" + token).bodyAsString(),
        "a stream path takes the parameter even without Accept: text/event-stream");
    HttpResponse<Buffer> api = get(port, "/api/who?token=" + token);
    assertEquals(401, api.statusCode());
    assertTrue(api.bodyAsJsonObject().getString("message").contains("Authorization header"));
    // The HEAD of a stream answers as its GET would.
    assertEquals(200, await(TestCluster.onContext(vertx,
        () -> web.head(port, "127.0.0.1", "/sse/chat.x?token=" + token).send())).statusCode());
    assertEquals(401, await(TestCluster.onContext(vertx,
        () -> web.head(port, "127.0.0.1", "/api/who?token=" + token).send())).statusCode());
  }

  @Test
  void aRequestWaitingForTheIssuersKeysKeepsItsBody() {
    // Answers a little later, as a JWKS authenticator does while it loads the issuer's keys.
    Authenticator slow = credentials -> {
      Promise<Grants> later = Promise.promise();
      vertx.setTimer(100, id -> later.complete(Grants.apiKey()));
      return later.future();
    };
    int port = serve(AuthenticationHandler.create(slow, AuthConfig.Mode.JWT));
    HttpResponse<Buffer> response = await(TestCluster.onContext(vertx, () -> web.post(port, "127.0.0.1", "/api/body")
        .putHeader("X-API-Key", "any").sendBuffer(Buffer.buffer("the body"))));
    assertEquals("API_KEY:the body", response.bodyAsString());
  }

  @Test
  void keysThatCannotLoadAnswerServiceUnavailable() {
    Authenticator unavailable = credentials -> Future.failedFuture(
        new AuthFailure(AuthFailure.Reason.UNAVAILABLE, "The issuer's signing keys could not be loaded"));
    HttpResponse<Buffer> response = get(serve(AuthenticationHandler.create(unavailable, AuthConfig.Mode.JWT)),
        "/api/who", "Authorization", "Bearer x");
    assertEquals(503, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("service-unavailable", body.getString("code"));
    assertNull(response.getHeader("WWW-Authenticate"));
  }
}
