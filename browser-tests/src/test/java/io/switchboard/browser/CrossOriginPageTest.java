package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.auth.TokenMint;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A page served from another origin than the gateway's imports the SDK from the gateway, subscribes
 * to a topic and publishes to it, as docs/client.md promises, once {@code ALLOWED_ORIGINS} lists
 * that origin; a gateway that does not list it refuses the page. In jwt mode the page gets its
 * tokens from its own site's backend through the SDK's {@code getToken}, and its subscription
 * outlives its first token.
 */
@ExtendWith(SwitchboardCluster.class)
class CrossOriginPageTest {

  /**
   * The page of the other origin. It loads the SDK from the gateway named by {@code ?gateway=},
   * subscribes to {@code ?topic=}, publishes one event once the stream is open, and lists the
   * events it receives and the states its subscription went through. With {@code ?tokens=} it
   * gives the SDK a getToken that asks its own site for a token: {@code <tokens>?for=stream} for
   * the subscription, {@code <tokens>?for=publish} for the publish; and it opens an echo WebSocket
   * ({@code <tokens>?for=echo}) that, once it has refreshed its token, sends a message.
   */
  private static final String PAGE = """
      <!doctype html>
      <html lang="en">
      <head><meta charset="utf-8"><title>A page of another origin</title></head>
      <body>
      <p id="state" data-state="loading">loading</p>
      <ul id="events"></ul>
      <script type="module">
        const params = new URLSearchParams(location.search);
        const topic = params.get('topic');
        const tokens = params.get('tokens');
        const auth = (use) => tokens
          ? { getToken: () => fetch(`${tokens}?for=${use}`).then((response) => response.text()) } : {};
        const state = document.getElementById('state');
        const show = (value, text) => {
          state.dataset.state = value;
          state.textContent = text ?? value;
        };
        let sdk;
        try {
          sdk = await import(params.get('gateway') + '/js/switchboard.js');
        } catch (err) {
          show('import-failed', String(err));
        }
        if (sdk) {
          let published = false;
          const subscription = sdk.subscribe(topic, (event) => {
            const item = document.createElement('li');
            item.dataset.id = event.id;
            item.textContent = event.data.text;
            document.getElementById('events').append(item);
          }, auth('stream'));
          subscription.on('state', async ({ state: value }) => {
            show(value);
            document.body.dataset.states = `${document.body.dataset.states ?? ''} ${value}`.trim();
            if (value === 'open' && !published) {
              published = true;
              try {
                document.body.dataset.published = (await sdk.publish(topic, { text: 'from another origin' },
                  auth('publish'))).id;
              } catch (err) {
                show('publish-failed', err.code ?? String(err));
              }
            }
          });
          if (tokens) {
            const echo = new sdk.EchoClient(auth('echo'));
            echo.on('refreshed', async () => {
              document.body.dataset.echo = await echo.request('after the refresh');
            });
            echo.connect();
          }
        }
      </script>
      </body>
      </html>
      """;

  /**
   * How long the first token the page's subscription gets lives: past the SDK's 5 s margin, so the
   * stream opens with it, and short enough that the gateway ends the stream during the test.
   */
  private static final Duration FIRST_STREAM_TOKEN_TTL = Duration.ofSeconds(8);
  /**
   * How long the first token of the page's echo WebSocket lives: under the gateway's default
   * warning (60 s), so the socket is warned as soon as it opens.
   */
  private static final Duration FIRST_ECHO_TOKEN_TTL = Duration.ofSeconds(30);

  private final SwitchboardCluster cluster = SwitchboardCluster.get();
  private Vertx otherSite;
  private String otherOrigin;
  /** The other site's token endpoint, {@code /tokens}, once a test gives it a mint. */
  private volatile SiteTokens siteTokens;

  @BeforeEach
  void serveThePageFromAnotherOrigin() {
    otherSite = Vertx.vertx();
    HttpServer server = TestCluster.await(otherSite.createHttpServer()
        .requestHandler(this::serveTheOtherSite)
        .listen(0, "127.0.0.1"));
    otherOrigin = "http://127.0.0.1:" + server.actualPort();
  }

  private void serveTheOtherSite(HttpServerRequest request) {
    SiteTokens tokens = siteTokens;
    if (request.path().equals("/tokens") && tokens != null) {
      request.response().putHeader("Content-Type", "text/plain").end(tokens.issue(request.getParam("for")));
    } else {
      request.response().putHeader("Content-Type", "text/html; charset=utf-8").end(PAGE);
    }
  }

  @AfterEach
  void stopTheOtherSite() {
    TestCluster.await(otherSite.close());
  }

  private String page(String gateway, String topic) {
    return otherOrigin + "/?gateway=" + URLEncoder.encode(gateway, StandardCharsets.UTF_8) + "&topic=" + topic;
  }

  @Test
  void aPageOfAnAllowedOriginImportsTheSdkSubscribesAndPublishes() {
    ClusterNode node = cluster.startNode();
    try (Browser browser = Browser.open()) {
      GatewayConfig config = GatewayConfig.from(new Env(Map.of(
          "HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1", "ALLOWED_ORIGINS", otherOrigin)));
      GatewayVerticle gateway = new GatewayVerticle(config, ClusterView.of(node));
      TestCluster.await(node.vertx().deployVerticle(gateway));
      String topic = "cross-" + UUID.randomUUID().toString().substring(0, 8);

      browser.get(page("http://127.0.0.1:" + gateway.actualPort(), topic));
      String id = browser.waitFor("the page's publish answered", d -> browser.find("body")
          .getDomAttribute("data-published"));
      browser.waitForText("#events li[data-id='" + id + "']", "from another origin");
      assertEquals("open", browser.find("#state").getDomAttribute("data-state"));
      assertEquals(List.of(), browser.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }

  @Test
  void aGatewayThatDoesNotListTheOriginRefusesThePage() {
    try (Browser browser = Browser.open()) {
      browser.get(page(cluster.gatewayA(), "cross-refused"));
      browser.waitForState("#state", "import-failed");
      assertTrue(browser.findAll("#events li").isEmpty());
    }
  }

  @Test
  void inJwtModeThePageGetsItsTokensFromItsOwnSiteAndItsConnectionsOutliveTheirFirstTokens() {
    String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
    String apiKey = UUID.randomUUID().toString();
    String topic = "jwt-" + UUID.randomUUID().toString().substring(0, 8);
    siteTokens = new SiteTokens(new TokenMint(otherSite, secret, null, null), topic);
    ClusterNode node = cluster.startNode();
    try (Browser browser = Browser.open()) {
      GatewayConfig config = GatewayConfig.from(new Env(Map.of(
          "HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1", "ALLOWED_ORIGINS", otherOrigin,
          "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", secret, "AUTH_API_KEYS", apiKey)));
      GatewayVerticle gateway = new GatewayVerticle(config, ClusterView.of(node));
      TestCluster.await(node.vertx().deployVerticle(gateway));

      browser.get(page("http://127.0.0.1:" + gateway.actualPort(), topic)
          + "&tokens=" + URLEncoder.encode(otherOrigin + "/tokens", StandardCharsets.UTF_8));
      String own = browser.waitFor("the page's publish answered", d -> browser.find("body")
          .getDomAttribute("data-published"));
      // The site's backend publishes with its API key while the page's first token runs out: the
      // gateway ends the stream with token-expired, the SDK asks the site for a new token and
      // resumes after the last event it received.
      Publisher publisher = new Publisher(otherSite, gateway.actualPort(), topic, apiKey);
      browser.waitFor("the stream came back with the site's second token", d -> siteTokens.streamTokens() >= 2
          && states(browser).lastIndexOf("open") > states(browser).indexOf("reconnecting")
          && states(browser).contains("reconnecting"));
      int afterReconnect = publisher.published().size();
      browser.waitFor("two events published after the reconnect", d -> publisher.published().size() >= afterReconnect + 2);
      List<String> published = TestCluster.await(publisher.stop());

      browser.waitFor("every event shown", d -> shownIds(browser).size() == published.size() + 1);
      List<String> shown = shownIds(browser);
      assertEquals(published, shown.stream().filter(published::contains).toList(),
          "the backend's events, each once and in order, across the token's expiry");
      assertTrue(shown.contains(own), shown + " lacks the page's own event " + own);
      // The echo WebSocket was warned, asked the site for a new token, sent it, and went on.
      browser.waitFor("an echo after the refresh", d -> browser.find("body").getDomAttribute("data-echo"));
      assertEquals("Server received: after the refresh", browser.find("body").getDomAttribute("data-echo"));
      assertTrue(siteTokens.echoTokens() >= 2, "echo tokens issued: " + siteTokens.echoTokens());
      assertEquals(List.of(), browser.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }

  private static List<String> states(Browser browser) {
    String states = browser.find("body").getDomAttribute("data-states");
    return states == null ? List.of() : Arrays.asList(states.split(" "));
  }

  private static List<String> shownIds(Browser browser) {
    return browser.findAll("#events li").stream().map(item -> item.getDomAttribute("data-id")).toList();
  }

  /**
   * SiteTokens is the other site's backend issuing tokens for its page: for the topic only, the
   * first ones of the subscription and of the echo WebSocket short-lived.
   */
  private static final class SiteTokens {

    private final TokenMint mint;
    private final String topic;
    private final AtomicInteger streamTokens = new AtomicInteger();
    private final AtomicInteger echoTokens = new AtomicInteger();

    SiteTokens(TokenMint mint, String topic) {
      this.mint = mint;
      this.topic = topic;
    }

    String issue(String use) {
      Duration ttl = Duration.ofHours(1);
      if ("stream".equals(use) && streamTokens.getAndIncrement() == 0) {
        ttl = FIRST_STREAM_TOKEN_TTL;
      } else if ("echo".equals(use) && echoTokens.getAndIncrement() == 0) {
        ttl = FIRST_ECHO_TOKEN_TTL;
      }
      return mint.mint(new TokenMint.Claims("page-user", ttl, List.of(topic), List.of(topic), List.of(), false));
    }

    int streamTokens() {
      return streamTokens.get();
    }

    int echoTokens() {
      return echoTokens.get();
    }
  }

  /**
   * Publisher is a backend publishing to a topic with its API key, one event at a time, a quarter
   * of a second apart, until stopped; it keeps the ids in publish order.
   */
  private static final class Publisher {

    private final Vertx vertx;
    private final HttpClient client;
    private final int port;
    private final String topic;
    private final String apiKey;
    private final List<String> ids = new ArrayList<>();
    private final Promise<List<String>> stopped = Promise.promise();
    private volatile boolean stopping;

    Publisher(Vertx vertx, int port, String topic, String apiKey) {
      this.vertx = vertx;
      this.client = vertx.createHttpClient();
      this.port = port;
      this.topic = topic;
      this.apiKey = apiKey;
      vertx.runOnContext(v -> next());
    }

    private void next() {
      if (stopping) {
        stopped.complete(published());
        return;
      }
      publishOne().onComplete(ar -> {
        if (ar.failed()) {
          stopped.fail(ar.cause());
          return;
        }
        synchronized (ids) {
          ids.add(ar.result());
        }
        vertx.setTimer(250, t -> next());
      });
    }

    private Future<String> publishOne() {
      return client.request(HttpMethod.POST, port, "127.0.0.1", "/api/topics/" + topic + "/events")
          .compose(request -> request.putHeader("X-API-Key", apiKey).putHeader("Content-Type", "application/json")
              .send(new JsonObject().put("data", new JsonObject().put("text", "from the backend")).encode()))
          .compose(response -> response.statusCode() == 202 ? response.body()
              : response.body().compose(body -> Future.failedFuture("publish: HTTP " + response.statusCode() + " " + body)))
          .map(body -> new JsonObject(body).getString("id"));
    }

    List<String> published() {
      synchronized (ids) {
        return List.copyOf(ids);
      }
    }

    /** Stops after the publish in flight; completes with every id published. */
    Future<List<String>> stop() {
      stopping = true;
      return stopped.future();
    }
  }
}
