package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@ExtendWith(SwitchboardCluster.class)
class FeedPageTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();
  private final HttpClient http = HttpClient.newHttpClient();

  /** Publishes through the HTTP API of {@code gateway}; returns the event id. */
  private String publish(String gateway, String topic, String json) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create(gateway + "/api/topics/" + topic + "/events"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), response.body());
    return new io.vertx.core.json.JsonObject(response.body()).getString("id");
  }

  /** The ids shown on the page, oldest first. */
  private static List<String> shownIds(Browser browser) {
    List<String> ids = new ArrayList<>();
    for (WebElement item : browser.findAll("#events li[data-id]")) {
      ids.add(0, item.getDomAttribute("data-id"));
    }
    return ids;
  }

  @Test
  void eventPublishedThroughTheApiShowsAndAReloadResumesWithNoGap() throws Exception {
    String topic = "feed-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      String page = cluster.gatewayA() + "/feed.html?topic=" + topic;
      browser.get(page);
      browser.waitForState("#state", "open");

      // Published through the other gateway: events travel the cluster to the page's gateway.
      String first = publish(cluster.gatewayB(), topic, "{\"event\":\"note\",\"data\":{\"text\":\"first\"}}");
      browser.waitFor("first event shown", d -> shownIds(browser).equals(List.of(first)));
      assertEquals(first, browser.find("#last-id").getText());
      WebElement shown = browser.find("#events li[data-id='" + first + "']");
      assertEquals("note", shown.getDomAttribute("data-type"));

      // Leave the page, publish while it is gone, come back: it resumes from the stored id.
      browser.get(cluster.gatewayA() + "/");
      List<String> missed = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        missed.add(publish(cluster.gatewayB(), topic, "{\"data\":{\"n\":" + i + "}}"));
        if (i == 2) {
          // A type the page does not listen to: left out of the catch-up as of the live stream.
          publish(cluster.gatewayB(), topic, "{\"event\":\"unlisted\",\"data\":\"not shown\"}");
        }
      }
      browser.get(page);
      browser.waitForState("#state", "open");
      // What the page showed before comes back with it, then the missed events.
      List<String> expected = new ArrayList<>(List.of(first));
      expected.addAll(missed);
      browser.waitFor("missed events replayed after what was shown", d -> shownIds(browser).equals(expected));
      assertEquals(missed.get(4), browser.find("#last-id").getText());
      for (String id : missed) {
        WebElement caughtUp = browser.find("#events li[data-id='" + id + "']");
        assertEquals("replayed", caughtUp.getDomAttribute("class"), "missed while away: " + id);
        assertEquals("replayed", caughtUp.findElement(By.cssSelector(".meta")).getText());
      }
      // Caught up: the banner that said it was resuming goes.
      browser.waitFor("the resuming banner gone", d -> !browser.find("#banner").isDisplayed());

      // A reload in place, then a live event: still nothing lost, nothing repeated.
      browser.driver().navigate().refresh();
      browser.waitForState("#state", "open");
      String live = publish(cluster.gatewayA(), topic, "{\"data\":\"live after reload\"}");
      expected.add(live);
      browser.waitFor("live event after reload, below nothing lost", d -> shownIds(browser).equals(expected));

      // The page's own publish form works too.
      browser.find("#event-data").sendKeys("{\"text\":\"from the form\"}");
      browser.find("#publish").click();
      browser.waitForText("#events li", "from the form");
      assertEquals(expected.size() + 1, shownIds(browser).size());
      browser.screenshot("feed");
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void aFirstVisitReplaysTheRetainedEventsOfTheTypesThePageListensToOnly() throws Exception {
    String topic = "first-" + UUID.randomUUID().toString().substring(0, 8);
    String note = publish(cluster.gatewayA(), topic, "{\"event\":\"note\",\"data\":\"a note\"}");
    publish(cluster.gatewayA(), topic, "{\"event\":\"unlisted\",\"data\":\"not shown\"}");
    String message = publish(cluster.gatewayA(), topic, "{\"data\":\"a message\"}");
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayB() + "/feed.html?topic=" + topic);
      browser.waitForState("#state", "open");
      String live = publish(cluster.gatewayB(), topic, "{\"data\":\"live\"}");
      browser.waitFor("the retained events, then the live one",
          d -> shownIds(browser).equals(List.of(note, message, live)));
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void resumeFromAnUnknownIdSurfacesHistoryLost() throws Exception {
    String topic = "lost-" + UUID.randomUUID().toString().substring(0, 8);
    publish(cluster.gatewayA(), topic, "{\"event\":\"unlisted\",\"data\":\"not shown\"}");
    publish(cluster.gatewayA(), topic, "{\"data\":\"retained\"}");
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayB() + "/");
      browser.js("sessionStorage.setItem(arguments[0], arguments[1])",
          "switchboard.sse." + topic + ".lastEventId", "no-such-id");
      browser.get(cluster.gatewayB() + "/feed.html?topic=" + topic);
      browser.waitForText("#events li.notice", "History lost: events after the last one this page saw (#no-such-id)");
      browser.waitForText("#events li[data-id]", "retained");
      browser.find("#events").findElement(By.cssSelector("li.notice"));
      assertEquals(1, browser.findAll("#events li[data-id]").size(), "only the type the page listens to");
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void aPublishTheServerCannotStoreYetSaysAtOnceThatItIsStillTriedAndIsStoredOnceItCan() throws Exception {
    String topic = "retry-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/feed.html?topic=" + topic);
      browser.waitForState("#state", "open");
      // The first two attempts of a publish are answered as while the topics' storage is down; what
      // the status next to the form says, and how, is logged as it changes.
      browser.js("""
          window.storageDownFor = 2;
          window.publishAttempts = 0;
          window.statusLog = [];
          const status = document.getElementById('publish-status');
          new MutationObserver(() => { if (!status.hidden) window.statusLog.push(status.className + ': ' + status.textContent); })
            .observe(status, { childList: true, characterData: true, subtree: true, attributes: true });
          const real = window.fetch;
          window.fetch = (url, init) => {
            if (!String(url).includes('/api/topics/')) return real(url, init);
            window.publishAttempts += 1;
            if (window.gatewayUnreachable) return Promise.reject(new TypeError('Failed to fetch'));
            if (window.publishAttempts > window.storageDownFor) return real(url, init);
            return Promise.resolve(new Response(JSON.stringify({ type: 'error', code: 'service-unavailable',
              message: 'No storage answers' }), { status: 503 }));
          };
          """);
      browser.find("#event-data").sendKeys("{\"text\":\"kept trying\"}");
      browser.find("#publish").click();
      browser.waitFor("stored once storage answers", d -> shownIds(browser).size() == 1);
      browser.waitFor("status gone", d -> !browser.find("#publish-status").isDisplayed());
      // Each retry was told at once, in turn, as information rather than as an error.
      @SuppressWarnings("unchecked")
      List<String> said = ((List<String>) browser.js("return window.statusLog")).stream().distinct().toList();
      assertEquals(List.of("banner info: The server cannot store the event yet; still trying, 1 of 4 retries…",
          "banner info: The server cannot store the event yet; still trying, 2 of 4 retries…"), said);
      assertEquals("Publish", browser.find("#publish").getText());
      assertEquals("", browser.find("#event-data").getDomProperty("value"));
      assertEquals(3, ((Number) browser.js("return window.publishAttempts")).intValue());

      // A publish that never reaches the gateway, through every retry, says so next to the form.
      browser.js("window.gatewayUnreachable = true;");
      browser.find("#event-data").sendKeys("never sent");
      browser.find("#publish").click();
      browser.waitFor("the publish given up", java.time.Duration.ofSeconds(20), d -> browser.find("#publish-status")
          .getText().equals("Not published: the gateway could not be reached. The text is still in the form: publish it again."));
      assertEquals("banner error", browser.find("#publish-status").getDomAttribute("class"));
      browser.screenshot("feed-publish-failed");
      assertEquals("never sent", browser.find("#event-data").getDomProperty("value"));
      assertEquals("Publish", browser.find("#publish").getText());
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /**
   * Runs the SDK's {@code publish(topic, {n: 1}, options)} in the page with {@code fetch} wrapped:
   * the publish's first attempts get {@code failures} in turn (409, 503, or 0 for a network error),
   * the rest go to the gateway, as do the page's own requests. Returns {keys: the Idempotency-Key of each attempt, published | error}.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> publishThroughTheSdk(Browser browser, String topic, String options,
      List<Integer> failures) {
    return (Map<String, Object>) browser.jsAsync("""
        const [topic, options, failures, done] = arguments;
        import('/js/switchboard.js').then(async (sb) => {
          const real = window.fetch;
          const keys = [];
          window.fetch = (url, init) => {
            // Only the publish: the page's own requests meanwhile go through untouched.
            if (!String(url).includes('/api/topics/')) {
              return real(url, init);
            }
            keys.push(new Headers(init.headers).get('Idempotency-Key'));
            const status = failures.shift();
            if (status === undefined) {
              return real(url, init);
            }
            if (status === 0) {
              return Promise.reject(new TypeError('Failed to fetch'));
            }
            const code = { 409: 'idempotency-conflict', 503: 'service-unavailable' }[status];
            return Promise.resolve(new Response(JSON.stringify({ type: 'error', code,
              message: 'HTTP ' + status }), { status }));
          };
          try {
            done({ keys, published: await sb.publish(topic, { n: 1 }, JSON.parse(options)) });
          } catch (err) {
            done({ keys, error: err.code ?? String(err) });
          } finally {
            window.fetch = real;
          }
        });
        """, topic, options, failures);
  }

  @Test
  void sdkPublishRetriesANetworkErrorAndA503WithOneIdempotencyKey() {
    String topic = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      Map<String, Object> result = publishThroughTheSdk(browser, topic,
          "{\"backoff\": {\"baseMs\": 50, \"capMs\": 100}}", List.of(0, 503));
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) result.get("keys");
      assertEquals(3, keys.size(), result.toString());
      assertTrue(keys.get(0).matches("[0-9a-f]{32}"), keys.get(0));
      assertEquals(List.of(keys.get(0), keys.get(0), keys.get(0)), keys);
      @SuppressWarnings("unchecked")
      Map<String, Object> published = (Map<String, Object>) result.get("published");
      assertEquals(topic, published.get("topic"), result.toString());
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void sdkPublishSendsTheCallersKeyAndDoesNotRetryAConflict() {
    String topic = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
    String key = "0123456789abcdef0123456789abcdef";
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      Map<String, Object> result = publishThroughTheSdk(browser, topic,
          "{\"idempotencyKey\": \"" + key + "\", \"backoff\": {\"baseMs\": 50, \"capMs\": 100}}",
          List.of(409));
      assertEquals(List.of(key), result.get("keys"));
      assertEquals("idempotency-conflict", result.get("error"));
    }
  }
}
