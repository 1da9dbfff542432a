package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

@ExtendWith(SwitchboardCluster.class)
class CallPageTest {

  /** Media setup on a busy 2-core machine can take a while; the wait is generous, not the goal. */
  private static final Duration MEDIA_WAIT = Duration.ofSeconds(60);

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  private static void join(Browser browser, String url) {
    browser.get(url);
    browser.find("#join").click();
    browser.waitForState("#state", "open");
  }

  /** Each peer connection's negotiation and ICE state, with its candidate pairs, to explain a failure. */
  private static final String CONNECTION_REPORT = """
      const done = arguments[arguments.length - 1];
      const mesh = window.switchboardCall && window.switchboardCall.mesh;
      if (!mesh) { done('no call'); return; }
      Promise.all([...mesh.connections.values()].map(async (c) => {
        const stats = await c.pc.getStats();
        const byId = new Map([...stats.values()].map((s) => [s.id, s]));
        const pairs = [...stats.values()].filter((s) => s.type === 'candidate-pair').map((p) => {
          const local = byId.get(p.localCandidateId) || {};
          const remote = byId.get(p.remoteCandidateId) || {};
          return `${local.address}:${local.port}/${local.candidateType}`
            + ` -> ${remote.address}:${remote.port}/${remote.candidateType} ${p.state}`
            + ` sent=${p.requestsSent} got=${p.responsesReceived}`;
        });
        const remotes = [...stats.values()].filter((s) => s.type === 'remote-candidate').length;
        return `peer ${c.peer.slice(0, 8)} polite=${c.polite} signaling=${c.pc.signalingState}`
          + ` ice=${c.pc.iceConnectionState} gathering=${c.pc.iceGatheringState}`
          + ` connection=${c.pc.connectionState} remoteCandidates=${remotes} pairs=[${pairs.join('; ')}]`;
      })).then((lines) => done(lines.join(' | ')), (err) => done(String(err)));
      """;

  private static String connectionReport(Browser browser) {
    try {
      return String.valueOf(browser.jsAsync(CONNECTION_REPORT));
    } catch (RuntimeException e) {
      return "no report: " + e;
    }
  }

  /** Waits until the remote tile shows video, reporting both sides' connections when it does not. */
  private static void awaitRemoteVideoPlaying(Browser browser, Browser other) {
    try {
      awaitRemoteVideoPlaying(browser);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(e.getMessage().lines().findFirst().orElse("") + "\nthis side: "
          + connectionReport(browser) + "\nother side: " + connectionReport(other)
          + "\nTHISCONSOLE " + String.join("\nTHISCONSOLE ", browser.console())
          + "\nOTHERCONSOLE " + String.join("\nOTHERCONSOLE ", other.console()), e);
    }
  }

  /** Waits until the remote tile shows video from the peer's fake camera with frames advancing. */
  static void awaitRemoteVideoPlaying(Browser browser) {
    browser.waitFor("a remote tile", MEDIA_WAIT,
        d -> !d.findElements(By.cssSelector(".tile.remote video")).isEmpty());
    browser.waitFor("remote video has frames", MEDIA_WAIT, d -> {
      Number width = (Number) browser.js(
          "const v = document.querySelector('.tile.remote video'); return v ? v.videoWidth : 0;");
      return width.intValue() > 0;
    });
    double start = ((Number) browser.js(
        "return document.querySelector('.tile.remote video').currentTime;")).doubleValue();
    browser.waitFor("remote video advancing", MEDIA_WAIT, d -> ((Number) browser.js(
        "return document.querySelector('.tile.remote video').currentTime;")).doubleValue() > start + 0.5);
    Number frames = (Number) browser.jsAsync("""
        const done = arguments[arguments.length - 1];
        const video = document.querySelector('.tile.remote video');
        let count = 0;
        const onFrame = () => { count += 1; if (count < 5) video.requestVideoFrameCallback(onFrame); else done(count); };
        video.requestVideoFrameCallback(onFrame);
        """);
    assertEquals(5, frames.intValue());
  }

  @Test
  void callBetweenBrowsersOnTwoGatewaysShowsVideoBothWaysCarriesTextAndHangsUp() {
    String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser alice = Browser.open(); Browser bob = Browser.open()) {
      alice.driver().manage().timeouts().scriptTimeout(MEDIA_WAIT);
      bob.driver().manage().timeouts().scriptTimeout(MEDIA_WAIT);
      join(alice, cluster.gatewayA() + "/call.html?room=" + room + "&name=Alice");
      // Alone in the call: nobody to send the in-call chat to.
      alice.waitFor("the chat off while alone",
          d -> alice.find("#alone").isDisplayed() && !alice.find("#chat-send").isEnabled());
      join(bob, cluster.gatewayB() + "/call.html?room=" + room + "&name=Bob");

      awaitRemoteVideoPlaying(alice, bob);
      awaitRemoteVideoPlaying(bob, alice);
      alice.waitForText(".tile.remote .label", "Bob");
      bob.waitForText(".tile.remote .label", "Alice");
      // The in-call chat says who was there and who joined, under the name each gave.
      alice.waitForText("#chat li.notice", "Bob joined the call");
      bob.waitForText("#chat li.notice", "Alice is in the call");

      // In-call text goes over the data channel, browser to browser.
      alice.waitFor("data channel open", MEDIA_WAIT, d -> (Boolean) alice.js(
          "return [...window.switchboardCall.mesh.connections.values()].every(c => c.channel.readyState === 'open')"));
      bob.waitFor("data channel open", MEDIA_WAIT, d -> (Boolean) bob.js(
          "return [...window.switchboardCall.mesh.connections.values()].every(c => c.channel.readyState === 'open')"));
      alice.find("#chat-text").sendKeys("can you see me?", Keys.ENTER);
      bob.waitForText("#chat li", "Alice: can you see me?");

      // Mute turns the microphone track off and back on, and Bob's tile of Alice says so.
      alice.find("#mute").click();
      assertEquals(Boolean.FALSE, alice.js("return window.switchboardCall.stream.getAudioTracks()[0].enabled"));
      assertEquals("Unmute", alice.find("#mute").getText());
      bob.waitForText(".tile.remote .media-state", "muted");
      assertEquals("muted", alice.find("#local-media").getText(), "Alice's own tile says so too");
      alice.find("#camera").click();
      bob.waitForText(".tile.remote .media-state", "camera off");
      assertEquals("muted · camera off", alice.find("#local-media").getText());
      alice.find("#camera").click();
      alice.find("#mute").click();
      assertEquals(Boolean.TRUE, alice.js("return window.switchboardCall.stream.getAudioTracks()[0].enabled"));
      bob.waitFor("the indicators gone", d -> bob.find(".tile.remote .media-state").getText().isEmpty());
      assertEquals("", alice.find("#local-media").getText());

      // Each side's peer id, to check the dashboard sees the room with both.
      String alicePeer = (String) alice.js("return window.switchboardCall.client.id");
      String bobPeer = (String) bob.js("return window.switchboardCall.client.id");
      assertNotEquals(alicePeer, bobPeer);
      alice.screenshot("call-alice");
      bob.screenshot("call-bob");

      try (Browser dashboard = Browser.open()) {
        dashboard.get(cluster.gatewayA() + "/dashboard.html");
        dashboard.waitFor("the call's room with two members", d -> {
          List<org.openqa.selenium.WebElement> rows =
              d.findElements(By.cssSelector("#rooms tr[data-room='" + room + "'] td.num"));
          return !rows.isEmpty() && rows.get(0).getText().equals("2");
        });
        for (String node : cluster.gatewayNodeIds()) {
          dashboard.waitFor("gateway " + node + " listed",
              d -> !d.findElements(By.cssSelector("#nodes tr[data-node='" + node + "']")).isEmpty());
        }
        dashboard.screenshot("dashboard-during-call");
      }

      // Bob hangs up: his tile goes from Alice's call at once, not when his connection times out.
      bob.find("#hangup").click();
      alice.waitFor("Bob's tile removed", java.time.Duration.ofSeconds(3),
          d -> d.findElements(By.cssSelector(".tile.remote")).isEmpty());
      assertEquals("(1)", alice.find("#count").getText());
      assertFalse(alice.find("#chat-send").isEnabled(), "alone again");
      alice.waitForText("#chat li.notice", "Bob left the call");
      // Bob is in no call, as before he joined one; his own hang-up is one line, not one per member.
      bob.waitForState("#state", "idle");
      assertTrue(bob.findAll(".tile.remote").isEmpty());
      List<String> bobNotices = bob.findAll("#chat li.notice").stream().map(e -> e.getText().replaceFirst("^\\S+\\s*", "")).toList();
      assertEquals(List.of("You joined the call in " + room, "Alice is in the call", "You left the call"), bobNotices);
      assertEquals("Idle", bob.find("#state").getText());
      assertEquals(List.of(), alice.pageErrors());
      assertEquals(List.of(), bob.pageErrors());
    }
  }

  @Test
  void aMemberAnOperatorTakesOutOfTheRoomIsToldSoAndItsCallEnds() throws Exception {
    String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser alice = Browser.open(); Browser bob = Browser.open()) {
      join(alice, cluster.gatewayA() + "/call.html?room=" + room + "&name=Alice");
      join(bob, cluster.gatewayB() + "/call.html?room=" + room + "&name=Bob");
      bob.waitForText("#chat li.notice", "Alice is in the call");
      String alicePeer = (String) alice.js("return window.switchboardCall.client.id");

      java.net.http.HttpResponse<String> kicked = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.gatewayB() + "/api/rooms/" + room + "/kick"))
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"peer\":\"" + alicePeer + "\"}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, kicked.statusCode(), kicked.body());

      alice.waitForText("#banner", "An operator took you out of the call");
      alice.waitForState("#state", "idle");
      assertTrue(alice.findAll(".tile.remote").isEmpty());
      alice.waitForText("#chat li.notice", "You are out of the call");
      bob.waitForText("#chat li.notice", "Alice left the call");
      bob.waitFor("Alice's tile gone", d -> d.findElements(By.cssSelector(".tile.remote")).isEmpty());
      alice.screenshot("call-kicked");
      assertEquals(List.of(), alice.pageErrors());
      assertEquals(List.of(), bob.pageErrors());
    }
  }

  @Test
  void joiningWhileTheServerCannotBeReachedSaysSoAndJoinsOnceItCan() {
    try (Browser browser = Browser.open()) {
      String room = joinWhileOffline(browser);
      browser.waitForText("#banner", "Cannot reach the server yet; joining " + room + " as soon as it answers");
      browser.offline(false);
      browser.waitForState("#state", "open");
      browser.waitFor("in the room, banner gone", d -> !browser.find("#banner").isDisplayed()
          && "(1)".equals(browser.find("#count").getText()));
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void hangingUpWhileTheServerCannotBeReachedLeavesThePillIdle() {
    try (Browser browser = Browser.open()) {
      joinWhileOffline(browser);
      browser.waitForState("#state", "reconnecting");
      browser.find("#hangup").click();
      browser.waitForState("#state", "idle");
      // The retry countdown ticks every 100 ms: a second later it would have written over the pill.
      browser.jsAsync("setTimeout(arguments[0], 1000)");
      assertEquals("idle", browser.find("#state").getDomAttribute("data-state"));
      assertEquals("Idle", browser.find("#state").getText());
      // The call never started: there is nothing to say it was left.
      assertTrue(browser.findAll("#chat li").isEmpty(), "no chat lines");
      browser.offline(false);
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void aMemberWhoseTabIsClosedLeavesTheOthersCallAtOnce() {
    String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser alice = Browser.open(); Browser bob = Browser.open()) {
      join(alice, cluster.gatewayA() + "/call.html?room=" + room + "&name=Alice");
      join(bob, cluster.gatewayB() + "/call.html?room=" + room + "&name=Bob");
      alice.waitForText("#chat li.notice", "Bob joined the call");
      bob.get("about:blank");
      // Not kept for AWAY_PEER_WAIT_MS (30 s) as if Bob's gateway had restarted.
      alice.waitFor("Bob's tile gone", Duration.ofSeconds(5),
          d -> d.findElements(By.cssSelector(".tile.remote")).isEmpty());
      alice.waitForText("#chat li.notice", "Bob left the call");
      assertEquals(List.of(), alice.pageErrors());
    }
  }

  @Test
  void aMemberWhoseTabCrashesIsGivenUpByTheOthersSdkLongBeforeAnAwayPeerWouldBe() {
    String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser alice = Browser.open(); Browser bob = Browser.open()) {
      join(alice, cluster.gatewayA() + "/call.html?room=" + room + "&name=Alice");
      join(bob, cluster.gatewayB() + "/call.html?room=" + room + "&name=Bob");
      alice.waitForText("#chat li.notice", "Bob joined the call");
      // No hang-up and no bye: the socket drops, so Bob is away, and his media stops flowing.
      bob.crash();
      // The SDK gives up an away peer whose connection stays disconnected for AWAY_DISCONNECTED_MS
      // (5 s), or whose data channel closed, rather than AWAY_PEER_WAIT_MS (30 s): about 11 s here,
      // ICE's own few seconds to notice the silence included.
      alice.waitFor("Bob's tile gone", Duration.ofSeconds(20),
          d -> d.findElements(By.cssSelector(".tile.remote")).isEmpty());
      alice.waitForText("#chat li.notice", "Bob left the call");
      assertEquals(List.of(), alice.pageErrors());
    }
  }

  @Test
  void perfectNegotiationSurvivesGlareWhenBothSidesOfferAtOnce() {
    String room = "glare-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser one = Browser.open(); Browser two = Browser.open()) {
      one.driver().manage().timeouts().scriptTimeout(MEDIA_WAIT);
      two.driver().manage().timeouts().scriptTimeout(MEDIA_WAIT);
      join(one, cluster.gatewayA() + "/call.html?room=" + room + "&name=One");
      join(two, cluster.gatewayB() + "/call.html?room=" + room + "&name=Two");
      awaitRemoteVideoPlaying(one, two);
      awaitRemoteVideoPlaying(two, one);
      // Both sides add a data channel at the same moment: two offers cross on the wire.
      String renegotiate = """
          const done = arguments[arguments.length - 1];
          const [connection] = window.switchboardCall.mesh.connections.values();
          const channel = connection.pc.createDataChannel('extra');
          channel.onopen = () => done(connection.polite);
          """;
      Object[] results = new Object[2];
      Thread other = new Thread(() -> results[1] = two.jsAsync(renegotiate));
      other.start();
      results[0] = one.jsAsync(renegotiate);
      try {
        other.join(MEDIA_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // One side is polite and the other not, and both extra channels opened.
      assertNotEquals(results[0], results[1], "politeness " + java.util.Arrays.toString(results));
      @SuppressWarnings("unchecked")
      Map<String, Object> state = (Map<String, Object>) one.js(
          "const [c] = window.switchboardCall.mesh.connections.values();"
              + "return {signaling: c.pc.signalingState, connection: c.pc.connectionState};");
      assertEquals("stable", state.get("signaling"));
      assertEquals("connected", state.get("connection"));
      assertEquals(List.of(), one.pageErrors());
      assertEquals(List.of(), two.pageErrors());
    }
  }

  /** Opens the call page of a new room with the browser offline, and presses Join; the room's name. */
  private String joinWhileOffline(Browser browser) {
    String room = "unreachable-" + UUID.randomUUID().toString().substring(0, 8);
    browser.get(cluster.gatewayA() + "/call.html?room=" + room + "&name=Ada");
    browser.offline(true);
    browser.find("#join").click();
    return room;
  }
}
