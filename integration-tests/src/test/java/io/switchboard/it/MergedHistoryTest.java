package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.it.net.NetworkPartition;
import io.switchboard.it.net.PartitionSide;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MergedHistoryTest splits a cluster of two sides, each with an sse-service member and a gateway
 * and no quorum ({@code CLUSTER_MIN_DATA_MEMBERS=1}), so both sides accept publishes; then heals
 * it. Topic {@code both} is published to on both sides during the split: its histories diverge,
 * and the merge joins them in a new epoch. Topic {@code one} is published to on one side only: the
 * other side's copy is a prefix, and the merge keeps the epoch. Topic {@code renewed} is deleted
 * on one side during the split and published to there: that side begins it anew after the other
 * side's newest event, and the merge keeps the new history under its ids.
 *
 * <p>One split serves every test: each checks what one kind of client saw of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MergedHistoryTest {

  private static final Logger LOG = LoggerFactory.getLogger(MergedHistoryTest.class);
  private static final Duration START = Duration.ofSeconds(180);
  /** A bound, not an expectation: on a loaded host the cluster takes its time to form and merge. */
  private static final Duration CLUSTER_CHANGE = Duration.ofSeconds(180);
  private static final Pattern MEMBERS = Pattern.compile("Members \\{size:(\\d+)");
  private static final int PER_SIDE = 5;

  private final String both = "both-" + UUID.randomUUID().toString().substring(0, 8);
  private final String one = "one-" + UUID.randomUUID().toString().substring(0, 8);
  private final String quiet = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
  private final String renewed = "renewed-" + UUID.randomUUID().toString().substring(0, 8);
  private NetworkPartition network;
  private Vertx clients;
  private final List<ServiceProcess> services = new ArrayList<>();
  private int portA;
  private int portB;
  private RetryingPublisher before;
  private RetryingPublisher onA;
  private RetryingPublisher onB;
  private RetryingPublisher oneSided;
  private RetryingPublisher quietA;
  private RetryingPublisher quietB;
  private RetryingPublisher renewing;
  private String renewedLastBeforeSplit;
  private String renewedSentinel;
  private String oneLastBeforeSplit;
  private String bothSentinel;
  private String oneSentinel;
  private final Map<String, List<SseClient.Event>> live = new LinkedHashMap<>();

  @BeforeAll
  void splitAndHeal() throws Exception {
    clients = Vertx.vertx();
    network = NetworkPartition.create(2);
    portA = startSide(network.side(0), "a");
    portB = startSide(network.side(1), "b");
    for (ServiceProcess service : services) {
      awaitMembers(service, 4);
    }
    before = new RetryingPublisher(portA, both);
    onA = new RetryingPublisher(portA, both);
    onB = new RetryingPublisher(portB, both);
    oneSided = new RetryingPublisher(portA, one);
    quietA = new RetryingPublisher(portA, quiet);
    quietB = new RetryingPublisher(portB, quiet);
    renewing = new RetryingPublisher(portA, renewed);
    quietA.publishNext();
    for (int i = 0; i < 3; i++) {
      before.publishNext();
      oneLastBeforeSplit = oneSided.publishNext();
      renewedLastBeforeSplit = renewing.publishNext();
    }
    try (ResumingSubscriber liveA = subscriber(portA, both);
         ResumingSubscriber liveB = subscriber(portB, both);
         ResumingSubscriber oneOnB = subscriber(portB, one);
         ResumingSubscriber quietOnA = untilLost(portA, quiet);
         ResumingSubscriber quietOnB = untilLost(portB, quiet);
         ResumingSubscriber renewedOnA = subscriber(portA, renewed)) {
      quietOnA.awaitOpen(START);
      quietOnB.awaitOpen(START);
      liveA.awaitOpen(START);
      liveB.awaitOpen(START);
      oneOnB.awaitOpen(START);
      renewedOnA.awaitOpen(START);

      network.split();
      for (ServiceProcess service : services) {
        awaitMembers(service, 2);
      }
      for (int i = 0; i < PER_SIDE; i++) {
        onA.publishNext();
        onB.publishNext();
        oneSided.publishNext();
      }
      quietA.publishNext();
      quietB.publishNext();
      HttpResponse<String> deleted = Http.send(HttpRequest.newBuilder(
          Http.uri(portA, "/api/topics/" + renewed)).DELETE().build());
      assertEquals(200, deleted.statusCode(), deleted.body());
      for (int i = 0; i < PER_SIDE; i++) {
        renewing.publishNext();
      }
      LOG.info("Acknowledged during the split: {} on side a, {} on side b", onA.acked().values(),
          onB.acked().values());

      network.heal();
      for (ServiceProcess service : services) {
        awaitMembers(service, 4);
      }
      // The merge of the topics' entries follows the join: wait until it shows in history.
      String oldId = onB.acked().values().iterator().next();
      for (int port : List.of(portA, portB)) {
        Http.poll(port, "/api/topics/" + both + "/events?after=" + oldId,
            response -> response.statusCode() == 200 && "merged".equals(Http.json(response).getString("reason")),
            CLUSTER_CHANGE);
        Http.poll(port, "/api/topics/" + one + "/events?after=" + oneLastBeforeSplit,
            response -> response.statusCode() == 200
                && Http.json(response).getJsonArray("events").size() == PER_SIDE,
            CLUSTER_CHANGE);
        Http.poll(port, "/api/topics/" + renewed + "/events?after=" + renewedLastBeforeSplit,
            response -> response.statusCode() == 200
                && "merged".equals(Http.json(response).getString("reason")),
            CLUSTER_CHANGE);
      }
      // Nothing is published to the quiet topic after the merge: its feeds look at its history.
      live.put("quiet subscriber on side a", quietOnA.awaitLast(CLUSTER_CHANGE));
      live.put("quiet subscriber on side b", quietOnB.awaitLast(CLUSTER_CHANGE));
      bothSentinel = onA.publishSentinel();
      oneSentinel = oneSided.publishSentinel();
      renewedSentinel = renewing.publishSentinel();
      live.put("live subscriber on side a", liveA.awaitLast(CLUSTER_CHANGE));
      live.put("live subscriber on side b", liveB.awaitLast(CLUSTER_CHANGE));
      live.put("live subscriber of the one-sided topic on side b", oneOnB.awaitLast(CLUSTER_CHANGE));
      live.put("live subscriber of the renewed topic on side a", renewedOnA.awaitLast(CLUSTER_CHANGE));
    }
  }

  @AfterAll
  void stop() {
    if (network != null) {
      network.close();
    }
    if (clients != null) {
      clients.close();
    }
  }

  private int startSide(PartitionSide side, String name) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_MIN_DATA_MEMBERS", "1");
    env.put("SSE_REQUEST_TIMEOUT_MS", "3000");
    // Quiet topics look at their history once a heartbeat period after members join.
    env.put("SSE_HEARTBEAT_MS", "1000");
    // A busy host stalls processes for seconds: do not mistake that for the split.
    env.put("CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "10");
    ServiceProcess sse = side.start("merged-sse-" + name, "sse-service", env);
    ServiceProcess gateway = side.start("merged-gateway-" + name, "gateway-service", env);
    services.add(sse);
    services.add(gateway);
    sse.awaitStarted(START);
    gateway.awaitStarted(START);
    return side.forward(gateway.awaitHttpPort(START));
  }

  private ResumingSubscriber untilLost(int port, String topic) {
    return new ResumingSubscriber(clients, List.of(port), "/sse/" + topic,
        event -> "history-lost".equals(event.type()));
  }

  private ResumingSubscriber subscriber(int port, String topic) {
    return new ResumingSubscriber(clients, List.of(port), "/sse/" + topic,
        event -> event.data().contains("\"sentinel\""));
  }

  @Test
  void liveSubscribersOnBothSidesAreToldMergedThenGetEveryRetainedEventOnce() {
    Map<String, String> all = acknowledgedOfBoth();
    for (String who : List.of("live subscriber on side a", "live subscriber on side b")) {
      List<SseClient.Event> events = live.get(who);
      List<SseClient.Event> lost = events.stream().filter(e -> "history-lost".equals(e.type())).toList();
      assertEquals(1, lost.size(), who + " got one history-lost: " + events);
      assertEquals("merged", lost.get(0).json().getString("reason"), who + ": " + lost.get(0));
      List<SseClient.Event> after = events.subList(events.indexOf(lost.get(0)) + 1, events.size());
      String epoch = currentEpoch();
      after.forEach(event -> assertEquals(epoch, event.epoch(), who + " after the loss: " + event));
      assertEquals(all.keySet(), keysOnce(after, who), who + " after the loss");
      assertEquals(bothSentinel, after.get(after.size() - 1).id());
      // Before the merge, the subscriber had its own side's events, each once.
      keysOnce(events.subList(0, events.indexOf(lost.get(0))), who + " before the loss");
    }
  }

  @Test
  void subscribersOfAQuietTopicAreToldMergedWithoutAnyEventAfterTheMerge() {
    for (String side : List.of("a", "b")) {
      List<SseClient.Event> events = live.get("quiet subscriber on side " + side);
      SseClient.Event lost = events.get(events.size() - 1);
      assertEquals("merged", lost.json().getString("reason"), "side " + side + ": " + events);
      // Before it, the subscriber had its own side's event of the split.
      RetryingPublisher own = side.equals("a") ? quietA : quietB;
      String splitId = new ArrayList<>(own.acked().values()).get(own.acked().size() - 1);
      assertEquals(splitId, events.get(events.size() - 2).id(), "side " + side + ": " + events);
    }
  }

  @Test
  void aResumeWithAnIdOfEitherSideIsToldMergedThenGetsEveryRetainedEventOnce() {
    for (String id : List.of(onA.acked().values().iterator().next(),
        onB.acked().values().iterator().next(), before.acked().values().iterator().next())) {
      JsonObject page = Http.json(Http.get(portB, "/api/topics/" + both + "/events?after=" + id));
      assertTrue(page.getBoolean("historyLost"), page.encode());
      assertEquals("merged", page.getString("reason"), page.encode());
      try (SseClient client = SseClient.connect(clients, portA, "/sse/" + both, id)) {
        assertEquals(200, client.status());
        SseClient.Event first = client.next(Duration.ofSeconds(30));
        assertEquals("history-lost", first.type(), first.toString());
        assertEquals("merged", first.json().getString("reason"));
        assertEquals(id, first.json().getString("lastEventId"));
        List<SseClient.Event> events = new ArrayList<>();
        SseClient.Event event;
        do {
          event = client.next(Duration.ofSeconds(30));
          events.add(event);
        } while (!event.id().equals(bothSentinel));
        assertEquals(acknowledgedOfBoth().keySet(), keysOnce(events, "resume after " + id));
      }
    }
  }

  @Test
  void historyHoldsEveryEventAcknowledgedOnEitherSideOnceInANewEpoch() {
    for (int port : List.of(portA, portB)) {
      Map<String, String> stored = storedKeys(port, both);
      assertEquals(acknowledgedOfBoth().keySet(), stored.keySet(), "history read on " + port);
      String epoch = currentEpoch();
      String former = before.acked().values().iterator().next();
      assertNotEquals(former.substring(0, former.lastIndexOf('-')), epoch);
      stored.values().forEach(id -> assertTrue(id.startsWith(epoch + "-"), id));
    }
  }

  @Test
  void aKeyedPublishOfEitherSideRetriedAfterTheMergeReplaysItsEvent() throws Exception {
    Map<String, String> stored = storedKeys(portA, both);
    for (RetryingPublisher side : List.of(onA, onB)) {
      String key = side.acked().keySet().iterator().next();
      JsonObject body = new JsonObject().put("data", new JsonObject().put("n", 0).put("key", key));
      for (int port : List.of(portA, portB)) {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/topics/" + both + "/events"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("true", response.headers().firstValue("Idempotent-Replayed").orElse(null),
            "retry of " + key + " on " + port);
        assertEquals(stored.get(key), new JsonObject(response.body()).getString("id"));
      }
    }
    assertEquals(stored, storedKeys(portB, both), "the retries stored nothing");
  }

  @Test
  void aTopicPublishedToOnOneSideOnlyKeepsItsEpochAndLosesNothing() {
    List<SseClient.Event> events = live.get("live subscriber of the one-sided topic on side b");
    assertTrue(events.stream().noneMatch(e -> "history-lost".equals(e.type())), events.toString());
    Map<String, String> acked = new LinkedHashMap<>(oneSided.acked());
    acked.keySet().removeAll(keysOf(oneSided, 3));
    LedgerCheck.delivered(acked, events.subList(0, events.size() - 1), "one-sided live subscriber");
    LedgerCheck.stored(oneSided.acked(), portB, one);
    try (SseClient client = SseClient.connect(clients, portB, "/sse/" + one, oneLastBeforeSplit)) {
      List<SseClient.Event> resumed = client.next(PER_SIDE + 1, Duration.ofSeconds(30));
      LedgerCheck.delivered(acked, resumed.subList(0, PER_SIDE), "one-sided resume");
      assertEquals(oneSentinel, resumed.get(PER_SIDE).id());
    }
  }

  @Test
  void aTopicBegunAnewOnOneSideKeepsItsNewHistoryUnderItsIdsAndTheOldIdsReadAsMerged() {
    Map<String, String> anew = new LinkedHashMap<>(renewing.acked());
    anew.keySet().removeAll(keysOf(renewing, 3));
    List<SseClient.Event> events = live.get("live subscriber of the renewed topic on side a");
    List<SseClient.Event> lost = events.stream().filter(e -> "history-lost".equals(e.type())).toList();
    assertEquals(1, lost.size(), "only the deletion ended the history it followed: " + events);
    assertEquals("unknown", lost.get(0).json().getString("reason"), lost.get(0).toString());
    List<SseClient.Event> after = events.subList(events.indexOf(lost.get(0)) + 1, events.size() - 1);
    LedgerCheck.delivered(anew, after, "renewed live subscriber, after the deletion");
    assertEquals(renewedSentinel, events.get(events.size() - 1).id());
    for (int port : List.of(portA, portB)) {
      Map<String, String> stored = storedKeys(port, renewed);
      Map<String, String> expected = new LinkedHashMap<>(anew);
      expected.put("sentinel", renewedSentinel);
      assertEquals(expected, stored, "the new history under the ids it was acknowledged with, on " + port);
      JsonObject page = Http.json(Http.get(port, "/api/topics/" + renewed + "/events?after="
          + renewedLastBeforeSplit));
      assertEquals("merged", page.getString("reason"), page.encode());
    }
  }

  /** The first {@code count} keys a publisher had acknowledged. */
  private static Set<String> keysOf(RetryingPublisher publisher, int count) {
    Set<String> keys = new LinkedHashSet<>();
    for (String key : publisher.acked().keySet()) {
      if (keys.size() == count) {
        break;
      }
      keys.add(key);
    }
    return keys;
  }

  /** Every key acknowledged on topic {@code both}, the sentinel as "sentinel". */
  private Map<String, String> acknowledgedOfBoth() {
    Map<String, String> all = new LinkedHashMap<>(before.acked());
    all.putAll(onA.acked());
    all.putAll(onB.acked());
    all.put("sentinel", bothSentinel);
    return all;
  }

  /** The keys of {@code events}, each asserted to come once; the sentinel counts as "sentinel". */
  private static Set<String> keysOnce(List<SseClient.Event> events, String who) {
    Set<String> keys = new LinkedHashSet<>();
    for (SseClient.Event event : events) {
      JsonObject data = event.json();
      String key = data.getBoolean("sentinel", false) ? "sentinel" : data.getString("key");
      assertTrue(keys.add(key), who + ": " + key + " twice in " + events);
    }
    return keys;
  }

  private String currentEpoch() {
    JsonObject page = Http.json(Http.get(portA, "/api/topics/" + both + "/events"));
    String id = page.getString("lastEventId");
    return id.substring(0, id.lastIndexOf('-'));
  }

  /** Key (or "sentinel") to id of every event in the topic's history, each asserted once. */
  private static Map<String, String> storedKeys(int port, String topic) {
    Map<String, String> stored = new LinkedHashMap<>();
    String after = null;
    for (;;) {
      HttpResponse<String> response = Http.get(port, "/api/topics/" + topic + "/events"
          + (after == null ? "" : "?after=" + after));
      assertEquals(200, response.statusCode(), response.body());
      JsonArray events = Http.json(response).getJsonArray("events");
      for (int i = 0; i < events.size(); i++) {
        JsonObject event = events.getJsonObject(i);
        JsonObject data = event.getJsonObject("data");
        String key = data.getBoolean("sentinel", false) ? "sentinel" : data.getString("key");
        assertEquals(null, stored.put(key, event.getString("id")), key + " stored twice");
        after = event.getString("id");
      }
      if (!Http.json(response).getBoolean("more", false)) {
        return stored;
      }
    }
  }

  /** Waits until the member's latest member list, as Hazelcast logs it, has {@code size} members. */
  private static void awaitMembers(ServiceProcess process, int size) {
    long deadline = System.nanoTime() + CLUSTER_CHANGE.toNanos();
    String last = "none";
    while (System.nanoTime() < deadline) {
      Matcher matcher = MEMBERS.matcher(process.output());
      while (matcher.find()) {
        last = matcher.group(1);
      }
      if (last.equals(String.valueOf(size))) {
        return;
      }
      ServiceProcess.pause(200);
    }
    throw new AssertionError(process + " did not see " + size + " members (last " + last + ")");
  }
}
