package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.GatewayVerticle;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/** A gateway of its own is stopped and started again while pages are open on it. */
@ExtendWith(SwitchboardCluster.class)
class GatewayRestartTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  private static GatewayVerticle deployGateway(ClusterNode node, int port) {
    GatewayConfig config = GatewayConfig.from(new Env(Map.of(
        "HTTP_PORT", String.valueOf(port), "HTTP_HOST", "127.0.0.1", "SHUTDOWN_GRACE_MS", "200")));
    GatewayVerticle gateway = new GatewayVerticle(config, ClusterView.of(node));
    TestCluster.await(node.vertx().deployVerticle(gateway));
    return gateway;
  }

  private static List<String> shownIds(Browser browser) {
    List<String> ids = new ArrayList<>();
    for (WebElement item : browser.findAll("#events li[data-id]")) {
      ids.add(0, item.getDomAttribute("data-id"));
    }
    return ids;
  }

  /**
   * Subscribes from the page with the SDK and records, in order, its states and errors in
   * {@code window.sdkLog} and the ids it delivers in {@code window.sdkIds}.
   */
  private static final String SUBSCRIBE = """
      const topic = arguments[0];
      const done = arguments[arguments.length - 1];
      import('/js/switchboard.js').then(({ subscribe }) => {
        window.sdkLog = [];
        window.sdkIds = [];
        const subscription = subscribe(topic, ({ id }) => window.sdkIds.push(id), { storage: null });
        subscription.on('state', ({ state }) => window.sdkLog.push('state ' + state));
        subscription.on('error', ({ error }) => window.sdkLog.push('error ' + error.code));
        done();
      }, (err) => done(String(err)));
      """;

  private String publish(String topic, String data) throws Exception {
    HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(cluster.gatewayA() + "/api/topics/" + topic + "/events"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"" + data + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, published.statusCode(), published.body());
    return new io.vertx.core.json.JsonObject(published.body()).getString("id");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> windowList(Browser browser, String name) {
    return (List<Object>) browser.js("return window." + name + ".slice();");
  }

  @Test
  void theSdkTakesTheReconnectEventOfAStoppingGatewayAsItsCueAndResumesWithNoEventMissedOrTwice()
      throws Exception {
    ClusterNode node = cluster.startNode();
    try (Browser browser = Browser.open()) {
      GatewayVerticle gateway = deployGateway(node, 0);
      int port = gateway.actualPort();
      String topic = "reconnect-" + UUID.randomUUID().toString().substring(0, 8);
      browser.get("http://127.0.0.1:" + port + "/index.html");
      assertEquals(null, browser.jsAsync(SUBSCRIBE, topic));
      browser.waitFor("the subscription open", d -> windowList(browser, "sdkLog").contains("state open"));
      List<Object> expected = new ArrayList<>(List.of(publish(topic, "before")));
      browser.waitFor("the first event", d -> windowList(browser, "sdkIds").equals(expected));

      TestCluster.await(node.vertx().undeploy(gateway.deploymentID()));
      browser.waitFor("the subscription reconnecting",
          d -> windowList(browser, "sdkLog").contains("state reconnecting"));
      List<Object> log = windowList(browser, "sdkLog");
      // A drop would report a stream-error first; the reconnect event is no error.
      assertEquals("state reconnecting", log.get(log.lastIndexOf("state open") + 1), "after open: " + log);
      for (int i = 0; i < 3; i++) {
        expected.add(publish(topic, "while down " + i));
      }
      deployGateway(node, port);
      expected.add(publish(topic, "after"));
      browser.waitFor("every event once, in order: " + expected,
          d -> windowList(browser, "sdkIds").equals(expected));
      assertEquals(List.of(), browser.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }

  @Test
  void pagesReconnectAfterTheirGatewayRestartsDeliverQueuedMessagesAndMissNoEvents() throws Exception {
    ClusterNode node = cluster.startNode();
    try (Browser browser = Browser.open()) {
      GatewayVerticle gateway = deployGateway(node, 0);
      int port = gateway.actualPort();
      String base = "http://127.0.0.1:" + port;
      String topic = "restart-" + UUID.randomUUID().toString().substring(0, 8);

      browser.get(base + "/echo.html");
      String echoTab = browser.driver().getWindowHandle();
      browser.waitForState("#state", "open");
      browser.driver().switchTo().newWindow(WindowType.TAB);
      browser.get(base + "/feed.html?topic=" + topic);
      String feedTab = browser.driver().getWindowHandle();
      browser.waitForState("#state", "open");

      TestCluster.await(node.vertx().undeploy(gateway.deploymentID()));
      List<String> missed = new ArrayList<>();
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> published = http.send(HttpRequest.newBuilder(
                URI.create(cluster.gatewayA() + "/api/topics/" + topic + "/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"while\":\"down\",\"n\":" + i + "}}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, published.statusCode());
        missed.add(new io.vertx.core.json.JsonObject(published.body()).getString("id"));
      }
      browser.waitForState("#state", "reconnecting");
      browser.screenshot("feed-reconnecting");

      browser.driver().switchTo().window(echoTab);
      browser.waitForState("#state", "reconnecting");
      browser.find("#text").sendKeys("sent while down", Keys.ENTER);
      browser.waitForText("#stats", "1 queued");
      browser.screenshot("echo-reconnecting");

      deployGateway(node, port);
      browser.waitForState("#state", "open");
      browser.waitForText("#log li.reply", "Server received: sent while down");

      browser.driver().switchTo().window(feedTab);
      browser.waitForState("#state", "open");
      browser.waitFor("events published while the gateway was down", d -> shownIds(browser).equals(missed));
      assertEquals(List.of(), browser.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }

  @Test
  void aCallGoesOnWhileOneSidesGatewayRestartsKeepingTheSameTileOnEachSide() {
    callThroughARestart(false);
  }

  @Test
  void aCallOfTwoOnOneGatewayGoesOnWhileItRestarts() {
    callThroughARestart(true);
  }

  /** Alice on the restarted gateway too when {@code both}, else on one that stays up. */
  private void callThroughARestart(boolean both) {
    ClusterNode node = cluster.startNode();
    String room = "restart-call-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser alice = Browser.open(); Browser bob = Browser.open()) {
      alice.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      bob.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      GatewayVerticle gateway = deployGateway(node, 0);
      int port = gateway.actualPort();
      alice.get((both ? "http://127.0.0.1:" + port : cluster.gatewayA()) + "/call.html?room=" + room + "&name=Alice");
      alice.find("#join").click();
      alice.waitForState("#state", "open");
      bob.get("http://127.0.0.1:" + port + "/call.html?room=" + room + "&name=Bob");
      bob.find("#join").click();
      bob.waitForState("#state", "open");
      for (Browser each : List.of(alice, bob)) {
        CallPageTest.awaitRemoteVideoPlaying(each);
        each.waitFor("data channel open", Duration.ofSeconds(60), d -> (Boolean) each.js(
            "return [...window.switchboardCall.mesh.connections.values()].every(c => c.channel.readyState === 'open')"));
        each.js("document.querySelector('.tile.remote').dataset.mark = 'before'");
      }
      String bobBefore = (String) bob.js("return window.switchboardCall.client.id");

      TestCluster.await(node.vertx().undeploy(gateway.deploymentID()));
      bob.waitForState("#state", "reconnecting");
      deployGateway(node, port);
      bob.waitForState("#state", "open");
      bob.waitFor("Bob in the room again", d -> bob.js("return window.switchboardCall.client.room") != null);
      String bobAfter = (String) bob.js("return window.switchboardCall.client.id");
      assertTrue(bobAfter != null && !bobAfter.equals(bobBefore), bobAfter);
      if (both) {
        alice.waitFor("Alice in the room again", d -> alice.js("return window.switchboardCall.client.room") != null);
        String aliceAfter = (String) alice.js("return window.switchboardCall.client.id");
        bob.waitFor("the tile under Alice's new id",
            d -> aliceAfter.equals(bob.find(".tile.remote").getDomAttribute("data-peer")));
      }

      // Alice's tile of Bob is the same tile, now under his new id; the call was not set up again.
      alice.waitFor("the tile under Bob's new id",
          d -> bobAfter.equals(alice.find(".tile.remote").getDomAttribute("data-peer")));
      for (Browser each : List.of(alice, bob)) {
        assertEquals(1, each.findAll(".tile.remote").size());
        assertEquals("before", each.find(".tile.remote").getDomAttribute("data-mark"));
        CallPageTest.awaitRemoteVideoPlaying(each);
      }
      assertEquals("Bob", alice.find(".tile.remote .label").getText().split(" ")[0]);
      bob.find("#chat-text").sendKeys("still here", Keys.ENTER);
      alice.waitForText("#chat li", "Bob: still here");
      assertFalse(bob.find("#banner").isDisplayed(), bob.find("#banner").getText());
      assertEquals(List.of(), alice.pageErrors());
      assertEquals(List.of(), bob.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }

  @Test
  void aChatMessageTypedWhileTheGatewayRestartsGoesOutOnceAndPresenceComesBack() throws Exception {
    ClusterNode node = cluster.startNode();
    String room = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      GatewayVerticle gateway = deployGateway(node, 0);
      int port = gateway.actualPort();
      browser.get("http://127.0.0.1:" + port + "/chat.html?room=" + room + "&name=Ada");
      String ada = browser.driver().getWindowHandle();
      browser.waitForText("#presence li.me", "Ada");
      browser.driver().switchTo().newWindow(WindowType.TAB);
      browser.get(cluster.gatewayA() + "/chat.html?room=" + room + "&name=Grace");
      String grace = browser.driver().getWindowHandle();
      browser.waitForText("#presence li:not(.me)", "Ada");

      browser.driver().switchTo().window(ada);
      TestCluster.await(node.vertx().undeploy(gateway.deploymentID()));
      browser.waitForState("#state", "reconnecting");
      browser.find("#message").sendKeys("typed while the gateway restarts", Keys.ENTER);
      browser.waitForText("#messages .bubble.sending", "typed while the gateway restarts");
      browser.screenshot("chat-reconnecting");

      deployGateway(node, port);
      browser.waitForState("#state", "open");
      browser.waitFor("the message acknowledged", d -> browser.findAll("#messages .bubble.sending").isEmpty());
      browser.waitForText("#presence li:not(.me)", "Grace");

      browser.driver().switchTo().window(grace);
      browser.waitForText("#messages .bubble:not(.mine)", "typed while the gateway restarts");
      browser.waitFor("Ada present again", d -> browser.findAll("#presence li").size() == 2);
      assertEquals(1, browser.findAll("#messages .bubble").size(), "delivered once");
      assertEquals(List.of(), browser.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }

  @Test
  void aBoardChangedWhileItsGatewayRestartsConvergesWithTheOtherBrowser() throws Exception {
    ClusterNode node = cluster.startNode();
    String board = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser one = Browser.open(); Browser two = Browser.open()) {
      GatewayVerticle gateway = deployGateway(node, 0);
      int port = gateway.actualPort();
      one.get("http://127.0.0.1:" + port + "/board.html?board=" + board + "&name=One");
      two.get(cluster.gatewayA() + "/board.html?board=" + board + "&name=Two");
      for (Browser browser : List.of(one, two)) {
        browser.waitFor("both on the board", d -> browser.find("#who").getText().startsWith("2 people"));
      }
      one.find("#add").click();
      two.waitFor("the first note", d -> two.findAll(".note").size() == 1);

      TestCluster.await(node.vertx().undeploy(gateway.deploymentID()));
      one.waitForState("#state", "reconnecting");
      // A note added while the gateway is down goes out once it is back; the other adds one meanwhile.
      one.find("#add").click();
      two.find("#add").click();
      two.waitFor("the other's note", d -> two.findAll(".note").size() == 2);

      deployGateway(node, port);
      one.waitForState("#state", "open");
      for (Browser browser : List.of(one, two)) {
        browser.waitFor("three notes", d -> browser.findAll(".note").size() == 3);
      }
      one.waitFor("the same board", d -> noteIds(one).equals(noteIds(two)));
      assertEquals(List.of(), one.pageErrors());
      assertEquals(List.of(), two.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> noteIds(Browser browser) {
    return (List<String>) browser.js("return [...document.querySelectorAll('.note')].map(n => n.dataset.note).sort()");
  }
}
