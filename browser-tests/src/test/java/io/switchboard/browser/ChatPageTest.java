package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;

@ExtendWith(SwitchboardCluster.class)
class ChatPageTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  @Test
  void twoTabsOnDifferentGatewaysSeeEachOtherAndExchangeMessages() throws Exception {
    String room = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/chat.html?room=" + room + "&name=Ada");
      String ada = browser.driver().getWindowHandle();
      browser.waitForText("#presence li.me", "Ada");

      browser.driver().switchTo().newWindow(WindowType.TAB);
      browser.get(cluster.gatewayB() + "/chat.html?room=" + room + "&name=Grace");
      String grace = browser.driver().getWindowHandle();
      browser.waitForText("#presence li:not(.me)", "Ada");

      browser.driver().switchTo().window(ada);
      browser.waitForText("#presence li:not(.me)", "Grace");
      browser.find("#message").sendKeys("Hello Grace", Keys.ENTER);
      browser.waitForText("#messages .bubble.mine", "Hello Grace");

      browser.driver().switchTo().window(grace);
      browser.waitForText("#messages .bubble:not(.mine)", "Hello Grace");
      browser.find("#message").sendKeys("Hi Ada, from the other gateway", Keys.ENTER);

      browser.driver().switchTo().window(ada);
      browser.waitForText("#messages .bubble:not(.mine)", "Hi Ada, from the other gateway");
      assertEquals(2, browser.findAll("#presence li").size());
      browser.screenshot("chat");

      // Grace leaves: Ada's presence list drops her.
      browser.driver().switchTo().window(grace);
      browser.find("#leave").click();
      browser.waitForText("#messages .system", "You left " + room);
      browser.driver().switchTo().window(ada);
      browser.waitFor("Grace gone from presence", d -> browser.findAll("#presence li").size() == 1);
      browser.waitForText("#messages .system", "Grace left");

      // Grace comes back: Ada's name is known from the messages in history, and she is still
      // announced as here.
      browser.driver().switchTo().window(grace);
      browser.find("#join").click();
      browser.waitForText("#messages .bubble:not(.mine)", "Hello Grace");
      browser.waitForText("#messages .system", "You joined " + room);
      browser.waitForText("#messages .bubble", "Hi Ada, from the other gateway");
      // The room's history is older than the join: it comes above the line saying so.
      assertEquals(List.of("Hello Grace", "Hi Ada, from the other gateway", "You joined " + room),
          browser.findAll("#messages .bubble, #messages .system").stream()
              .map(e -> e.getText().contains("You joined") ? "You joined " + room
                  : e.getText().contains("Hello Grace") ? "Hello Grace"
                  : e.getText().contains("Hi Ada") ? "Hi Ada, from the other gateway" : e.getText())
              .filter(t -> !t.contains("is here")).toList());
      browser.waitForText("#messages .system", "Ada is here");
      browser.waitForText("#presence li:not(.me)", "Ada");
      // The room's topic is the same object again: it holds the listeners of this join only.
      assertEquals(1L, browser.js("return window.switchboardChat.topic('chat." + room + "')._listeners.get('leave').size"));

      // Grace switches rooms: the new room's transcript starts with the one she left, then what
      // the new room said before she joined it.
      java.net.http.HttpResponse<String> earlier = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.gatewayA() + "/api/topics/chat." + room + "-b/events"))
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                  "{\"data\":{\"kind\":\"message\",\"from\":\"x\",\"name\":\"Linus\",\"text\":\"earlier in b\",\"sentAt\":1}}"))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(202, earlier.statusCode(), earlier.body());
      browser.find("#room").clear();
      browser.find("#room").sendKeys(room + "-b");
      browser.find("#join").click();
      browser.waitForText("#messages .system", "You joined " + room + "-b");
      browser.waitForText("#messages .bubble", "earlier in b");
      assertEquals(List.of("You left " + room, "earlier in b", "You joined " + room + "-b"),
          browser.findAll("#messages .system, #messages .bubble").stream()
              .map(e -> e.getText().contains("earlier in b") ? "earlier in b" : e.getText().replaceFirst("^.*· ", "")).toList());
      // Switching to the room she is in changes nothing: her next message comes after the same lines.
      browser.find("#join").click();
      browser.find("#message").sendKeys("still here", Keys.ENTER);
      browser.waitFor("the message stored", d -> !browser.findAll("#messages .bubble.mine:not(.sending)").isEmpty());
      assertEquals(List.of("You left " + room, "You joined " + room + "-b"), browser.findAll("#messages .system").stream()
          .map(e -> e.getText().replaceFirst("^.*· ", "")).toList());
      assertEquals(List.of(), browser.pageErrors());
      browser.driver().switchTo().window(ada);
      browser.waitFor("Grace gone again", d -> browser.findAll("#presence li").size() == 1);
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void aMemberWhoLeavesWhileThisTabIsOfflineIsSaidToHaveLeftOnceItIsBack() {
    String room = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser grace = Browser.open(); Browser ada = Browser.open()) {
      grace.get(cluster.gatewayA() + "/chat.html?room=" + room + "&name=Grace");
      ada.get(cluster.gatewayB() + "/chat.html?room=" + room + "&name=Ada");
      ada.waitForText("#messages .system", "Grace is here");
      ada.offline(true);
      ada.js("window.switchboardChat.connection._ws?.close()");
      ada.waitForState("#state", "reconnecting");
      grace.find("#leave").click();
      grace.waitForText("#messages .system", "You left " + room);
      ada.offline(false);
      ada.waitForState("#state", "open");
      ada.waitFor("Grace said to have left", Duration.ofSeconds(40),
          d -> ada.findAll("#messages .system").stream().anyMatch(e -> e.getText().endsWith("Grace left")));
      assertEquals(1, ada.findAll("#presence li").size());
      assertEquals(List.of(), ada.pageErrors());
    }
  }

  @Test
  void aTabThatNavigatesAwayLeavesTheRoomAndIsBackWhenTheBrowserGoesBackToIt() {
    String room = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser grace = Browser.open(); Browser ada = Browser.open()) {
      grace.get(cluster.gatewayB() + "/chat.html?room=" + room + "&name=Grace");
      grace.waitForText("#presence li.me", "Grace");
      ada.get(cluster.gatewayA() + "/chat.html?room=" + room + "&name=Ada");
      ada.waitForText("#presence li.me", "Ada");
      ada.js("window.restoredFromCache = false;"
          + " addEventListener('pageshow', (e) => { window.restoredFromCache = e.persisted; });");
      grace.waitForText("#presence li:not(.me)", "Ada");

      // Ada follows a link: the browser keeps her page, frozen, in its back/forward cache.
      ada.find("nav a[href='/feed.html']").click();
      ada.waitFor("the feed page", d -> d.getCurrentUrl().contains("/feed.html"));
      grace.waitFor("Ada gone from presence", d -> grace.findAll("#presence li").size() == 1);
      grace.waitForText("#messages .system", "Ada left");

      ada.driver().navigate().back();
      ada.waitFor("the chat page back from the cache", d -> Boolean.TRUE.equals(ada.js("return window.restoredFromCache")));
      grace.waitForText("#presence li:not(.me)", "Ada");
      ada.waitForText("#presence li:not(.me)", "Grace");
      ada.find("#message").sendKeys("back again", Keys.ENTER);
      grace.waitForText("#messages .bubble:not(.mine)", "back again");
      assertEquals(List.of(), grace.pageErrors());
    }
  }

  @Test
  void aMessageTheServerCouldNotStoreIsMarkedNotSentAndSendAgainDeliversItOnce() {
    String room = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser ada = Browser.open(); Browser grace = Browser.open()) {
      adaAndGraceIn(room, ada, grace);
      ada.js(STORAGE_DOWN);
      ada.find("#message").sendKeys("are you there?", Keys.ENTER);
      ada.waitFor("marked not sent", Duration.ofSeconds(40),
          d -> !ada.findAll("#messages .bubble.unsent .retry").isEmpty());
      assertEquals("Send again", ada.find("#messages .bubble.unsent .retry").getText());

      ada.js("window.storageDown = false;");
      ada.find("#messages .bubble.unsent .retry").click();
      ada.waitFor("sent", d -> ada.findAll("#messages .bubble.unsent, #messages .bubble.sending").isEmpty());
      grace.waitForText("#messages .bubble:not(.mine)", "are you there?");
      // Grace's own message after it: nothing else came before it.
      grace.find("#message").sendKeys("yes", Keys.ENTER);
      ada.waitForText("#messages .bubble:not(.mine)", "yes");
      assertEquals(1, grace.findAll("#messages .bubble:not(.mine)").size());
      assertEquals(1, ada.findAll("#messages .bubble.mine").size());
      assertEquals(List.of(), ada.pageErrors());
    }
  }

  @Test
  void aMessageTheServerCouldNotStoreIsSentAgainByItselfOnceTheServerTakesMessagesAgain() {
    String room = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser ada = Browser.open(); Browser grace = Browser.open()) {
      adaAndGraceIn(room, ada, grace);
      ada.js(STORAGE_DOWN);
      ada.find("#message").sendKeys("still there?", Keys.ENTER);
      ada.waitFor("marked not sent", Duration.ofSeconds(40), d -> !ada.findAll("#messages .bubble.unsent").isEmpty());
      // The reason is on the page, not only in a tooltip: a phone has no hover.
      ada.waitForText("#banner", "cannot be stored right now");
      assertEquals("banner warn", ada.find("#banner").getDomAttribute("class"));

      ada.js("window.storageDown = false;");
      ada.waitFor("sent by itself", Duration.ofSeconds(40),
          d -> ada.findAll("#messages .bubble.unsent, #messages .bubble.sending").isEmpty());
      grace.waitForText("#messages .bubble:not(.mine)", "still there?");
      ada.waitFor("the banner gone", d -> !ada.find("#banner").isDisplayed());
      grace.find("#message").sendKeys("yes", Keys.ENTER);
      ada.waitForText("#messages .bubble:not(.mine)", "yes");
      assertEquals(1, grace.findAll("#messages .bubble:not(.mine)").size());
      assertEquals(List.of(), ada.pageErrors());
    }
  }

  /** Ada on gateway A and Grace on gateway B in one room, once Ada sees Grace present. */
  private void adaAndGraceIn(String room, Browser ada, Browser grace) {
    ada.get(cluster.gatewayA() + "/chat.html?room=" + room + "&name=Ada");
    grace.get(cluster.gatewayB() + "/chat.html?room=" + room + "&name=Grace");
    ada.waitForText("#presence li:not(.me)", "Grace");
  }

  /** Every publish, and each of the SDK's retries, is answered as when the topics' storage is down. */
  static final String STORAGE_DOWN = """
      window.storageDown = true;
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        let frame = null;
        try { frame = JSON.parse(data); } catch (err) { /* binary */ }
        if (window.storageDown && frame && frame.type === 'publish') {
          const refusal = { type: 'error', code: 'service-unavailable', message: 'No storage answers',
            topic: frame.topic, ref: frame.ref };
          setTimeout(() => this.onmessage({ data: JSON.stringify(refusal) }), 5);
          return;
        }
        return send.call(this, data);
      };
      """;

  @Test
  void failedReconnectAttemptsShowNoRawSocketErrorAndNothingIsLeftOnceConnected() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/chat.html?name=Ada");
      browser.waitForState("#state", "open");
      browser.offline(true);
      browser.js("window.switchboardChat.connection._ws?.close()");
      // Attempts that fail while offline.
      browser.waitFor("two failed attempts", d -> ((Number) browser.js(
          "return window.switchboardChat.connection.attempt")).intValue() >= 2);
      assertFalse(browser.find("#banner").getText().contains("socket-error"), browser.find("#banner").getText());
      browser.offline(false);
      browser.waitForState("#state", "open");
      assertFalse(browser.find("#banner").isDisplayed(), browser.find("#banner").getText());
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void joiningARoomWhileOfflineSaysTheRoomIsJoinedOnceTheConnectionIsBack() {
    String room = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/chat.html?name=Ada");
      browser.waitForState("#state", "open");
      browser.offline(true);
      browser.js("window.switchboardChat.connection._ws?.close()");
      browser.waitForState("#state", "reconnecting");
      browser.find("#room").clear();
      browser.find("#room").sendKeys(room, Keys.ENTER);
      browser.waitForText("#banner", "Reconnecting; you join " + room + " once it is back.");
      assertFalse(browser.find("#send").isEnabled(), "nothing to send to before the room answers");
      assertEquals("Joining " + room + "…", browser.find("#presence-empty").getText());
      assertTrue(browser.findAll("#presence li").isEmpty(), "nobody shown in a room not joined yet");
      browser.offline(false);
      browser.waitForText("#messages .system", "You joined " + room);
      browser.waitForText("#presence li.me", "Ada");
      browser.waitFor("banner gone", d -> !browser.find("#banner").isDisplayed());
      assertTrue(browser.find("#send").isEnabled());
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void aMessageSentWhileOfflineIsDeliveredOnceAndBothTranscriptsEndIdentical() {
    String room = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/chat.html?room=" + room + "&name=Ada");
      String ada = browser.driver().getWindowHandle();
      browser.waitForText("#presence li.me", "Ada");
      browser.driver().switchTo().newWindow(WindowType.TAB);
      browser.get(cluster.gatewayB() + "/chat.html?room=" + room + "&name=Grace");
      String grace = browser.driver().getWindowHandle();
      browser.waitForText("#presence li:not(.me)", "Ada");

      browser.driver().switchTo().window(ada);
      browser.find("#message").sendKeys("before the outage", Keys.ENTER);
      browser.driver().switchTo().window(grace);
      browser.waitForText("#messages .bubble", "before the outage");

      // Grace's tab loses the network: its socket drops and cannot come back.
      browser.offline(true);
      browser.js("window.switchboardChat.connection._ws?.close()");
      browser.waitForState("#state", "reconnecting");
      browser.find("#message").sendKeys("written while offline", Keys.ENTER);
      browser.waitForText("#messages .bubble.sending", "written while offline");

      browser.driver().switchTo().window(ada);
      browser.find("#message").sendKeys("meanwhile on the other gateway", Keys.ENTER);
      browser.waitForText("#messages .bubble.mine", "meanwhile on the other gateway");

      browser.driver().switchTo().window(grace);
      browser.offline(false);
      browser.waitForState("#state", "open");
      browser.waitFor("the offline message acknowledged",
          d -> browser.findAll("#messages .bubble.sending, #messages .bubble.unsent").isEmpty()
              && transcript(browser).contains("written while offline"));
      List<String> graceSees = transcript(browser);
      browser.driver().switchTo().window(ada);
      browser.waitForText("#messages .bubble:not(.mine)", "written while offline");
      // Grace is back before what she wrote while away: her tab sent it once it had joined again.
      browser.waitForText("#messages .system", "Grace is here");
      assertEquals(Boolean.TRUE, browser.js("""
          const lines = [...document.querySelectorAll('#messages > *')];
          const back = lines.findLastIndex((n) => n.matches('.system') && n.textContent.endsWith('Grace is here'));
          const queued = lines.findIndex((n) => n.matches('.bubble') && n.textContent.includes('written while offline'));
          return back < queued;"""), "Grace's return shows before her queued message");
      List<String> adaSees = transcript(browser);
      assertEquals(List.of("before the outage", "meanwhile on the other gateway", "written while offline"),
          adaSees);
      assertEquals(adaSees, graceSees, "both transcripts end identical");
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /** The text of every message bubble, in order, without its sender and time. */
  @SuppressWarnings("unchecked")
  private static List<String> transcript(Browser browser) {
    return (List<String>) browser.js("return [...document.querySelectorAll('#messages .bubble')]"
        + ".map(b => [...b.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(''))");
  }
}
