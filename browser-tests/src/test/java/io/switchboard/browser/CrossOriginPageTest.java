package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A page served from another origin than the gateway's imports the SDK from the gateway, subscribes
 * to a topic and publishes to it, as docs/client.md promises, once {@code ALLOWED_ORIGINS} lists
 * that origin; a gateway that does not list it refuses the page.
 */
@ExtendWith(SwitchboardCluster.class)
class CrossOriginPageTest {

  /**
   * The page of the other origin. It loads the SDK from the gateway named by {@code ?gateway=},
   * subscribes to {@code ?topic=}, publishes one event once the stream is open, and lists the
   * events it receives.
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
          });
          subscription.on('state', async ({ state: value }) => {
            show(value);
            if (value === 'open' && !published) {
              published = true;
              try {
                document.body.dataset.published = (await sdk.publish(topic, { text: 'from another origin' })).id;
              } catch (err) {
                show('publish-failed', err.code ?? String(err));
              }
            }
          });
        }
      </script>
      </body>
      </html>
      """;

  private final SwitchboardCluster cluster = SwitchboardCluster.get();
  private Vertx otherSite;
  private String otherOrigin;

  @BeforeEach
  void serveThePageFromAnotherOrigin() {
    otherSite = Vertx.vertx();
    HttpServer server = TestCluster.await(otherSite.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "text/html; charset=utf-8")
            .end(PAGE))
        .listen(0, "127.0.0.1"));
    otherOrigin = "http://127.0.0.1:" + server.actualPort();
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
}
