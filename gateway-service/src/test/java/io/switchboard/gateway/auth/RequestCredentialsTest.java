package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials read from real requests: the header, the API key, and the token parameter where a
 * browser cannot send a header.
 */
class RequestCredentialsTest {

  private final Vertx vertx = Vertx.vertx();
  private HttpClient client;
  private HttpServer server;
  private String token;

  @BeforeEach
  void start() {
    Authenticator authenticator = await(Authenticator.create(vertx, AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", TestKeys.SECRET, "AUTH_API_KEYS", "backend-key")))));
    // Answers what a route would: 200 with the grants' kind, or the failure's status and code.
    server = await(vertx.createHttpServer().requestHandler(request -> authenticator
        .authenticate(request, PresentedCredentials.queryTokenAllowed(request))
        .onSuccess(grants -> request.response().end(grants.kind().name()))
        .onFailure(failure -> {
          AuthFailure.Reason reason = ((AuthFailure) failure).reason();
          request.response().setStatusCode(reason.httpStatus()).end(reason.name());
        })).listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
    token = TestKeys.hs256(vertx, TestKeys.SECRET, TestKeys.claims("alice", Duration.ofHours(1)));
  }

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private String get(String uri, String... headers) {
    return request(HttpMethod.GET, uri, headers);
  }

  private String request(HttpMethod method, String uri, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI(uri).setHeaders(MultiMap.caseInsensitiveMultiMap());
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return await(TestCluster.onContext(vertx, () -> client.request(options).compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode() + " " + body))));
  }

  @Test
  void theBearerHeaderIsAcceptedOnAnyRoute() {
    assertEquals("200 USER", get("/api/topics/chat/events", "Authorization", "Bearer " + token));
  }

  @Test
  void theTokenParameterIsAcceptedOnWebSocketAndEventStreamRequestsOnly() {
    assertEquals("200 USER", get("/ws/echo?token=" + token));
    assertEquals("200 USER", get("/sse/chat?token=" + token, "Accept", "text/event-stream"));
    assertEquals("401 INVALID", get("/api/topics/chat/events?token=" + token));
  }

  /** The HEAD of a stream answers as its GET: the parameter is taken there too, and nowhere else. */
  @Test
  void theTokenParameterIsAcceptedOnTheHeadOfAStream() {
    assertEquals("200 ", request(HttpMethod.HEAD, "/sse/chat?token=" + token, "Accept", "text/event-stream"));
    assertEquals("401 ", request(HttpMethod.HEAD, "/api/topics/chat/events?token=" + token));
    assertEquals("401 INVALID", request(HttpMethod.POST, "/sse/chat?token=" + token, "Accept", "text/event-stream"));
  }

  @Test
  void anApiKeyHeaderIsAccepted() {
    assertEquals("200 API_KEY", get("/api/rooms", "X-API-Key", "backend-key"));
    assertEquals("401 INVALID", get("/api/rooms", "X-API-Key", "guess"));
  }

  @Test
  void aRequestWithoutCredentialsIsMissingThem() {
    assertEquals("401 MISSING", get("/api/rooms"));
  }
}
