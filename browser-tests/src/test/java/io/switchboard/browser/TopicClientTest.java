package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SDK's TopicClient in a real Chromium, against the gateways of a real cluster. */
@ExtendWith(SwitchboardCluster.class)
class TopicClientTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();
  private final HttpClient http = HttpClient.newHttpClient();

  private String publish(String gateway, String topic, String data) throws Exception {
    return publishBody(gateway, topic, "{\"data\":\"" + data + "\"}");
  }

  private String publishBody(String gateway, String topic, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create(gateway + "/api/topics/" + topic + "/events"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), response.body());
    return new io.vertx.core.json.JsonObject(response.body()).getString("id");
  }

  @Test
  void aSubscriptionOfAnEmptyTopicGetsTheFirstEventPublishedWhileItsConnectionWasDown() throws Exception {
    resumesAnEmptyTopicFromItsFirstEvent("{}", 1);
  }

  /** A subscription that asked for history too resumes by id: not the last N again, which would skip some. */
  @Test
  void aSubscriptionWithHistoryOfAnEmptyTopicGetsEveryEventPublishedWhileItsConnectionWasDown() throws Exception {
    resumesAnEmptyTopicFromItsFirstEvent("{\"history\": 2}", 3);
  }

  /**
   * Subscribes to an empty topic with {@code options}; the connection drops, {@code missed} events
   * are published meanwhile; after the reconnect every one of them comes, then the next, once.
   */
  private void resumesAnEmptyTopicFromItsFirstEvent(String options, int missed) throws Exception {
    String topic = "empty-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      browser.jsAsync("""
          const [topic, options, done] = arguments;
          import('/js/switchboard.js').then(({ TopicClient }) => {
            window.sdkIds = [];
            window.sdkSubscribed = 0;
            window.sdkClient = new TopicClient({ backoff: { baseMs: 100, capMs: 200 },
              sseFallbackAfter: 1000 }).connect();
            const t = window.sdkClient.topic(topic);
            t.on('subscribed', () => { window.sdkSubscribed += 1; });
            t.subscribe(({ id }) => window.sdkIds.push(id), JSON.parse(options));
            done();
          });
          """, topic, options);
      browser.waitFor("the subscription", d -> Long.valueOf(1).equals(browser.js("return window.sdkSubscribed")));
      // The connection drops before the topic has any event, and the first are published meanwhile.
      browser.offline(true);
      browser.js("window.sdkClient.connection._ws?.close()");
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < missed; i++) {
        ids.add(publish(cluster.gatewayB(), topic, "while away " + i));
      }
      browser.offline(false);
      browser.waitFor("the events after the reconnect", d -> ids.equals(browser.js("return window.sdkIds")));
      ids.add(publish(cluster.gatewayB(), topic, "after"));
      browser.waitFor("the next one, once", d -> ids.equals(browser.js("return window.sdkIds")));
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /**
   * A client that stops for want of a token rejects the publishes it holds with unauthorized, and
   * later ones at once; a closed client rejects later publishes with closed. None is left hanging.
   */
  @Test
  void publishesOfAStoppedOrClosedClientRejectInsteadOfWaitingForever() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      Object outcomes = browser.jsAsync("""
          const done = arguments[arguments.length - 1];
          import('/js/switchboard.js').then(async ({ TopicClient }) => {
            const outcome = (p) => p.then((id) => 'stored ' + id, (err) => err.code);
            const stopped = new TopicClient({ getToken: () => null });
            const held = outcome(stopped.topic('stopped-client').publish(1));
            stopped.connect();
            const results = [await held, await outcome(stopped.topic('stopped-client').publish(2))];
            const closed = new TopicClient().connect();
            closed.close();
            results.push(await outcome(closed.topic('closed-client').publish(3)));
            done(results);
          });
          """);
      assertEquals(List.of("unauthorized", "unauthorized", "closed"), outcomes);
    }
  }

  /** A loss of history is told once, though each resume from the same id meets it again. */
  @Test
  void aLostHistoryIsToldOnceAcrossReconnectsBeforeAnyNewEvent() throws Exception {
    String topic = "lost-" + UUID.randomUUID().toString().substring(0, 8);
    String first = publish(cluster.gatewayB(), topic, "before");
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      browser.jsAsync("""
          const [topic, done] = arguments;
          import('/js/switchboard.js').then(({ TopicClient }) => {
            window.sdkIds = [];
            window.sdkLost = [];
            window.sdkSubscribed = 0;
            window.sdkClient = new TopicClient({ backoff: { baseMs: 100, capMs: 200 },
              sseFallbackAfter: 1000 }).connect();
            const t = window.sdkClient.topic(topic);
            t.on('subscribed', () => { window.sdkSubscribed += 1; });
            t.on('history-lost', ({ reason }) => window.sdkLost.push(reason));
            t.subscribe(({ id }) => window.sdkIds.push(id), { history: 10 });
            done();
          });
          """, topic);
      browser.waitFor("the event", d -> List.of(first).equals(browser.js("return window.sdkIds")));
      // The topic's history goes, as when the only data member restarts.
      HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(
          URI.create(cluster.gatewayB() + "/api/topics/" + topic)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, deleted.statusCode(), deleted.body());
      browser.waitFor("the loss told", d -> List.of("unknown").equals(browser.js("return window.sdkLost")));
      // Two reconnects resume from the same id and meet the same loss again.
      for (int reconnect = 2; reconnect <= 3; reconnect++) {
        long subscribed = reconnect;
        browser.js("window.sdkClient.connection._ws?.close()");
        browser.waitFor("subscribed again", d -> Long.valueOf(subscribed).equals(browser.js("return window.sdkSubscribed")));
      }
      String next = publish(cluster.gatewayB(), topic, "after");
      browser.waitFor("the new event", d -> List.of(first, next).equals(browser.js("return window.sdkIds")));
      assertEquals(List.of("unknown"), browser.js("return window.sdkLost"));
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void whereWebSocketsNeverOpenSubscriptionsCarryOnOverSseWithTheSameIds() throws Exception {
    String topic = "fallback-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      // The WebSocket goes to a port where nothing listens, as behind a proxy that refuses it.
      browser.jsAsync("""
          const [topic, done] = [arguments[0], arguments[arguments.length - 1]];
          import('/js/switchboard.js').then(({ TopicClient }) => {
            window.sdkIds = [];
            window.sdkTransport = [];
            const client = new TopicClient({ url: 'ws://127.0.0.1:9/ws/topics',
              backoff: { baseMs: 100, capMs: 200 } }).connect();
            const t = client.topic(topic);
            t.on('transport', ({ transport }) => window.sdkTransport.push(transport));
            t.subscribe(({ id }) => window.sdkIds.push(id));
            done();
          });
          """, topic);
      browser.waitFor("the SSE fallback", d -> List.of("sse").equals(browser.js("return window.sdkTransport")));
      String id = publish(cluster.gatewayB(), topic, "over sse");
      browser.waitFor("the event over SSE", d -> List.of(id).equals(browser.js("return window.sdkIds")));
      // EventSource hands on only the types listened to: a typed event comes from history, in its place.
      String typed = publishBody(cluster.gatewayB(), topic, "{\"event\":\"chat\",\"data\":\"typed\"}");
      String after = publish(cluster.gatewayB(), topic, "after it");
      browser.waitFor("every event, typed or not, once and in order",
          d -> List.of(id, typed, after).equals(browser.js("return window.sdkIds")));
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /** A gap history cannot fill is told once as history-lost, and the fallback goes on after it. */
  @Test
  void onTheSseFallbackAGapHistoryCannotFillIsToldAsHistoryLostAndEventsGoOn() throws Exception {
    String topic = "gap-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      browser.jsAsync("""
          const [topic, done] = [arguments[0], arguments[arguments.length - 1]];
          import('/js/switchboard.js').then(({ TopicClient }) => {
            window.sdkIds = [];
            window.sdkLost = [];
            window.sdkTransport = [];
            window.historyReads = 0;
            window.historyDown = false;
            // Once historyDown, every history read fails, as while the gateway's API is unreachable.
            const real = window.fetch;
            window.fetch = (url, init) => {
              if (window.historyDown && String(url).includes('/api/topics/')) {
                window.historyReads += 1;
                return Promise.reject(new TypeError('Failed to fetch'));
              }
              return real(url, init);
            };
            const client = new TopicClient({ url: 'ws://127.0.0.1:9/ws/topics',
              backoff: { baseMs: 100, capMs: 200 } }).connect();
            const t = client.topic(topic);
            t.on('transport', ({ transport }) => window.sdkTransport.push(transport));
            t.on('history-lost', ({ reason }) => window.sdkLost.push(reason));
            t.subscribe(({ id }) => window.sdkIds.push(id));
            done();
          });
          """, topic);
      browser.waitFor("the SSE fallback", d -> List.of("sse").equals(browser.js("return window.sdkTransport")));
      String first = publish(cluster.gatewayB(), topic, "first");
      browser.waitFor("the first event", d -> List.of(first).equals(browser.js("return window.sdkIds")));
      browser.js("window.historyDown = true;");
      publishBody(cluster.gatewayB(), topic, "{\"event\":\"chat\",\"data\":\"typed\"}");
      String third = publish(cluster.gatewayB(), topic, "third");
      browser.waitFor("the event after the gap", d -> List.of(first, third).equals(browser.js("return window.sdkIds")));
      assertEquals(List.of("unknown"), browser.js("return window.sdkLost"));
      String fourth = publish(cluster.gatewayB(), topic, "fourth");
      browser.waitFor("the next one, with no further read", d -> List.of(first, third, fourth)
          .equals(browser.js("return window.sdkIds")));
      assertEquals(1L, ((Number) browser.js("return window.historyReads")).longValue());
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /** The SDK's HTTP publish waits at least what a 503's Retry-After asks, however short its own backoff. */
  @Test
  void anHttpPublishAnswered503WaitsItsRetryAfterBeforeTheNextAttempt() {
    String topic = "retry-after-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> outcome = (java.util.Map<String, Object>) browser.jsAsync("""
          const [topic, done] = arguments;
          import('/js/switchboard.js').then(async ({ publish }) => {
            const real = window.fetch;
            let attempts = 0;
            // The first attempt is answered as a gateway holding as many publishes as it may.
            window.fetch = (url, init) => (++attempts === 1)
              ? Promise.resolve(new Response('{"code":"service-unavailable","message":"busy"}',
                  { status: 503, headers: { 'Content-Type': 'application/json', 'Retry-After': '2' } }))
              : real(url, init);
            const delays = [];
            const started = performance.now();
            const stored = await publish(topic, { n: 1 }, { backoff: { baseMs: 10, capMs: 10 },
              onRetry: ({ delayMs }) => delays.push(delayMs) });
            done({ delays, waited: performance.now() - started, id: stored.id, attempts });
          }).catch((err) => done({ error: String(err) }));
          """, topic);
      assertEquals(null, outcome.get("error"));
      assertEquals(List.of(2000L), outcome.get("delays"));
      assertEquals(2L, outcome.get("attempts"));
      org.junit.jupiter.api.Assertions.assertTrue(((Number) outcome.get("waited")).doubleValue() >= 2000,
          "waited " + outcome.get("waited") + " ms");
      org.junit.jupiter.api.Assertions.assertNotNull(outcome.get("id"));
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /**
   * A name that is no topic is refused by the SDK itself, as the gateway would refuse it: the
   * gateway's refusal could not name it, so the topic would never learn of it.
   */
  @Test
  void aTopicWithAnInvalidNameRefusesItsSubscribeAndPublishAtOnceWithBadTopic() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> outcome = (java.util.Map<String, Object>) browser.jsAsync("""
          const done = arguments[arguments.length - 1];
          import('/js/switchboard.js').then(async ({ TopicClient }) => {
            const client = new TopicClient().connect();
            const t = client.topic('bad topic!');
            const subscribeError = new Promise((resolve) => t.on('error', ({ error }) => resolve(error.code)));
            t.subscribe(() => {});
            const started = performance.now();
            const published = await t.publish({ n: 1 }).then(() => 'stored', (err) => err.code);
            const waited = performance.now() - started;
            const subscribed = await subscribeError;
            client.close();
            done({ published, subscribed, waited, pending: client.pending });
          }).catch((err) => done({ error: String(err) }));
          """);
      assertEquals("bad-topic", outcome.get("published"), String.valueOf(outcome));
      assertEquals("bad-topic", outcome.get("subscribed"));
      assertEquals(0L, ((Number) outcome.get("pending")).longValue());
      org.junit.jupiter.api.Assertions.assertTrue(((Number) outcome.get("waited")).doubleValue() < 1000,
          "refused at once, not after the wait for an answer: " + outcome.get("waited") + " ms");
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /** A getToken that fails for another reason than a refusal is a SwitchboardError with its cause. */
  @Test
  void aGetTokenThatThrowsIsEmittedAsTokenUnavailableWithItsCause() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> outcome = (java.util.Map<String, Object>) browser.jsAsync("""
          const done = arguments[arguments.length - 1];
          import('/js/switchboard.js').then(({ EchoClient, SwitchboardError }) => {
            const echo = new EchoClient({ backoff: { baseMs: 50, capMs: 50 },
              getToken: () => { throw new Error('backend down'); } });
            echo.on('error', ({ error }) => {
              echo.close();
              done({ code: error.code, switchboard: error instanceof SwitchboardError,
                cause: error.cause?.message });
            });
            echo.connect();
          }).catch((err) => done({ error: String(err) }));
          """);
      assertEquals("token-unavailable", outcome.get("code"), String.valueOf(outcome));
      assertEquals(true, outcome.get("switchboard"));
      assertEquals("backend down", outcome.get("cause"));
      assertEquals(List.of(), browser.pageErrors());
    }
  }
}
