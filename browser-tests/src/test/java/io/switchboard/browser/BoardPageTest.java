package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

@ExtendWith(SwitchboardCluster.class)
class BoardPageTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  @Test
  void twoBrowsersOnTwoGatewaysConvergeAfterConcurrentEditsAndALateJoinerSeesTheSameBoard() {
    String board = "board-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser one = Browser.open(); Browser two = Browser.open()) {
      openOnBothGateways(board, one, two);
      one.find("#add").click();
      one.find("#add").click();
      two.find("#add").click();
      for (Browser browser : List.of(one, two)) {
        browser.waitFor("three stored notes", d -> browser.findAll(".note:not(.pending)").size() == 3);
      }

      // Both write into the same note at once, and one of them drags it; one deletes another.
      String first = one.findAll(".note").get(0).getDomAttribute("data-note");
      String second = one.findAll(".note").get(1).getDomAttribute("data-note");
      one.find(".note[data-note='" + first + "'] textarea").sendKeys("from one");
      two.find(".note[data-note='" + first + "'] textarea").sendKeys("from two");
      one.find(".note[data-note='" + first + "'] textarea").sendKeys(Keys.TAB);
      two.find(".note[data-note='" + first + "'] textarea").sendKeys(Keys.TAB);
      String left = two.find(".note[data-note='" + first + "']").getCssValue("left");
      new Actions(two.driver()).dragAndDropBy(two.find(".note[data-note='" + first + "'] .note-grip"), 240, 120)
          .perform();
      one.find(".note[data-note='" + second + "'] .note-delete").click();

      for (Browser browser : List.of(one, two)) {
        browser.waitFor("the delete everywhere", d -> browser.findAll(".note").size() == 2);
        browser.waitFor("the drag everywhere", d -> !left.equals(browser.find(".note[data-note='" + first + "']")
            .getCssValue("left")));
      }
      one.waitFor("the same board in both browsers", d -> state(one).equals(state(two))
          && List.of("from one", "from two").contains(textOf(one, first)));
      List<Map<String, Object>> settled = state(one);
      one.screenshot("board");

      try (Browser late = Browser.open()) {
        late.get(cluster.gatewayA() + "/board.html?board=" + board + "&name=Late");
        late.waitFor("the board rebuilt from history", d -> state(late).equals(settled));
        assertEquals(List.of(), late.pageErrors());
      }
      assertEquals(List.of(), one.pageErrors());
      assertEquals(List.of(), two.pageErrors());
    }
  }

  @Test
  void onAPhoneNotesAddedBeforeTheyComeBackGetCellsOfTheirOwnAndOnlyTheirGripsTakeTheFinger() {
    String board = "board-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser phone = Browser.phone()) {
      phone.get(cluster.gatewayA() + "/board.html?board=" + board + "&name=Phone");
      phone.waitForState("#state", "open");
      phone.waitFor("the board's topic subscribed", d -> phone.find("#who").getText().startsWith("1 person"));
      // An open board without notes says so, rather than asking for a board to be opened.
      assertEquals("No notes on this board yet: add one.", phone.js(
          "return getComputedStyle(document.getElementById('board'), '::before').content.replace(/^\"|\"$/g, '')"));
      // Three clicks in one turn: each note is placed before the one before it is back from the gateway.
      // Each shows at once, marked as saving, before the gateway has it back.
      assertEquals(3L, phone.js("const add = document.getElementById('add'); add.click(); add.click(); add.click();"
          + " return document.querySelectorAll('.note.pending').length;"));
      phone.waitFor("three stored notes", d -> phone.findAll(".note:not(.pending)").size() == 3);
      List<Map<String, Object>> notes = state(phone);
      for (int i = 0; i < notes.size(); i++) {
        for (int j = i + 1; j < notes.size(); j++) {
          assertTrue(apart(notes.get(i), notes.get(j)), "notes on top of each other: " + notes);
        }
      }

      // New notes start in sight: as many columns as the phone shows.
      assertTrue((Boolean) phone.js("const b = document.getElementById('board');"
          + " return [...b.querySelectorAll('.note')].every(n => n.offsetLeft + n.offsetWidth <= b.clientWidth);"),
          "a new note out of sight: " + notes);
      // Notes further out (placed on a wider screen, or dragged) are reached by scrolling the board
      // with a finger: the board leaves touch gestures to the browser, and only a note's grip takes
      // them, to drag the note.
      assertEquals("auto", phone.js("return getComputedStyle(document.getElementById('board')).touchAction"));
      assertEquals("none", phone.js("return getComputedStyle(document.querySelector('.note-grip')).touchAction"));
      assertEquals(List.of(), phone.pageErrors());
    }
  }

  @Test
  void aBoardWhoseHistoryIsDeletedIsSavedAgainByOneOfThePagesThatHaveItAndALateJoinerSeesIt() throws Exception {
    String board = "board-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser one = Browser.open(); Browser two = Browser.open()) {
      openOnBothGateways(board, one, two);
      one.find("#add").click();
      one.find("#add").click();
      one.waitFor("two stored notes", d -> one.findAll(".note:not(.pending)").size() == 2);
      String first = one.findAll(".note").get(0).getDomAttribute("data-note");
      one.find(".note[data-note='" + first + "'] textarea").sendKeys("kept", Keys.TAB);
      one.waitFor("the edit stored", d -> "kept".equals(textOf(one, first)));
      List<Map<String, Object>> before = state(one);
      two.waitFor("the same board on the other page", d -> state(two).equals(before));

      // The topic's history goes, as when the only data member restarts.
      HttpClient http = HttpClient.newHttpClient();
      String events = cluster.gatewayB() + "/api/topics/board." + board + "/events";
      HttpResponse<String> deleted = http.send(
          HttpRequest.newBuilder(URI.create(cluster.gatewayB() + "/api/topics/board." + board)).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, deleted.statusCode(), deleted.body());

      // One page stores the board again; the other, whose turn comes after, sees it and says so.
      for (Browser page : List.of(one, two)) {
        page.waitFor("a notice that the board was saved again", d -> page.find("#banner").getText().contains("saved"));
      }
      List<String> notices = List.of(one.find("#banner").getText(), two.find("#banner").getText());
      assertEquals(1, notices.stream().filter(n -> n.contains("as this page had it was saved again")).count(), notices.toString());
      assertEquals(1, notices.stream().filter(n -> n.contains("another page on the board saved it again")).count(), notices.toString());
      String stored = http.send(HttpRequest.newBuilder(URI.create(events)).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertEquals(1, stored.split("\"op\":\"snapshot\"", -1).length - 1, stored);
      assertEquals(before, state(one));
      assertEquals(before, state(two));

      try (Browser late = Browser.open()) {
        late.get(cluster.gatewayB() + "/board.html?board=" + board + "&name=Late");
        late.waitFor("the board as the pages had it", d -> state(late).equals(before));
        assertEquals(List.of(), late.pageErrors());
      }
      assertEquals(List.of(), one.pageErrors());
      assertEquals(List.of(), two.pageErrors());
    }
  }

  @Test
  void twoNotesAddedOnOneSpotAtOnceEndApartOnlyTheOneStoredSecondMovesAndAnOfflineEditStaysShown() {
    String board = "board-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser one = Browser.open(); Browser two = Browser.open()) {
      openOnBothGateways(board, one, two);
      // Two's tab loses the network and adds a note to the empty board, unaware of the one One adds.
      two.offline(true);
      two.js("window.switchboardBoard.connection._ws?.close()");
      two.waitForState("#state", "reconnecting");
      // Who is on the board is what was known last, and says so.
      assertEquals("Offline: 2 people on this board when last connected", two.find("#who").getText());
      two.find("#add").click();
      two.waitFor("Two's note shown as saving", d -> two.findAll(".note.pending").size() == 1);
      Map<String, Object> twoPlaced = state(two).get(0);
      one.find("#add").click();
      one.waitFor("One's note stored", d -> one.findAll(".note:not(.pending)").size() == 1);
      Map<String, Object> onePlaced = state(one).get(0);
      assertFalse(apart(onePlaced, twoPlaced), "both notes placed on one spot: " + onePlaced + " " + twoPlaced);

      two.offline(false);
      two.waitFor("presence shown as current again", d -> two.find("#who").getText().equals("2 people on this board"));
      for (Browser browser : List.of(one, two)) {
        browser.waitFor("the two notes apart", d -> {
          List<Map<String, Object>> notes = state(browser);
          return notes.size() == 2 && apart(notes.get(0), notes.get(1));
        });
      }
      one.waitFor("the same board in both browsers", d -> state(one).equals(state(two)));
      // One's note, stored first, stayed where it was put; Two's, stored second, moved.
      assertTrue(state(one).contains(onePlaced), "One's note moved: " + state(one));
      assertFalse(state(one).stream().anyMatch(n -> n.get("id").equals(twoPlaced.get("id"))
          && n.get("x").equals(twoPlaced.get("x")) && n.get("y").equals(twoPlaced.get("y"))), "Two's note stayed: " + state(one));
      two.screenshot("board-same-spot");

      // Offline again, Two edits One's note and adds another: the edit stays on screen, saving.
      String ones = (String) onePlaced.get("id");
      two.offline(true);
      two.js("window.switchboardBoard.connection._ws?.close()");
      two.waitForState("#state", "reconnecting");
      two.find(".note[data-note='" + ones + "'] textarea").sendKeys("written offline", Keys.TAB);
      assertTrue(two.find(".note[data-note='" + ones + "']").getDomAttribute("class").contains("saving"),
          "marked as saving as soon as it is written");
      two.find("#add").click();
      two.waitFor("the new note shown as saving", d -> two.findAll(".note.pending").size() == 1);
      assertEquals("written offline", textOf(two, ones));
      assertTrue(two.find(".note[data-note='" + ones + "']").getDomAttribute("class").contains("saving"));
      two.offline(false);
      one.waitFor("the offline edit stored", d -> "written offline".equals(textOf(one, ones)));
      two.waitFor("no longer saving", d -> !two.find(".note[data-note='" + ones + "']").getDomAttribute("class")
          .contains("saving"));
      assertEquals(List.of(), one.pageErrors());
      assertEquals(List.of(), two.pageErrors());
    }
  }

  @Test
  void onAPhoneABoardMadeOnAWiderScreenSaysHowManyNotesAreOutOfViewAndBringsThemIntoIt() throws Exception {
    String board = "board-" + UUID.randomUUID().toString().substring(0, 8);
    // Notes as a desktop put them: one in the phone's view, one to its right, one below the board's fold.
    HttpClient http = HttpClient.newHttpClient();
    String[][] notes = {{"near", "24", "24"}, {"right", "700", "40"}, {"below", "60", "1400"}};
    for (String[] note : notes) {
      String body = "{\"data\":{\"op\":\"add\",\"note\":\"" + note[0] + "\",\"x\":" + note[1] + ",\"y\":" + note[2]
          + ",\"text\":\"" + note[0] + "\",\"color\":\"#cfe3ff\"}}";
      HttpResponse<String> stored = http.send(HttpRequest.newBuilder(
          URI.create(cluster.gatewayA() + "/api/topics/board." + board + "/events"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(202, stored.statusCode(), stored.body());
    }
    try (Browser phone = Browser.phone(); Browser desktop = Browser.open()) {
      // A desktop's board has room for the note on the right; only the one far below is out of view.
      desktop.get(cluster.gatewayA() + "/board.html?board=" + board + "&name=Desk");
      desktop.waitFor("the three notes", d -> desktop.findAll(".note").size() == 3);
      desktop.waitForText("#more", "1 more note out of view: show");
      assertTrue(inView(desktop, "near") && inView(desktop, "right"));

      phone.get(cluster.gatewayB() + "/board.html?board=" + board + "&name=Phone");
      phone.waitFor("the three notes", d -> phone.findAll(".note").size() == 3);
      phone.waitForText("#more", "2 more notes out of view: show");
      phone.js("document.querySelector('.board-card').scrollIntoView()");
      phone.screenshot("board-phone");
      // Each press brings the next note out of view into it, in reading order, and round again.
      for (String next : List.of("right", "below", "near")) {
        phone.find("#more").click();
        phone.waitFor(next + " in view", d -> inView(phone, next));
        phone.waitForText("#more", "2 more notes out of view: show");
        if (next.equals("right")) {
          // The phone's cursor over the note, on its scrolled board, is over the same note on the desktop.
          phone.js("const n = document.querySelector(\".note[data-note='right']\"); const r = n.getBoundingClientRect();"
              + " n.dispatchEvent(new PointerEvent('pointermove', {clientX: r.left + 10, clientY: r.top + 10, bubbles: true}));");
          desktop.waitFor("the phone's cursor at the note", d -> !desktop.findAll(".cursor").isEmpty()
              && "710px".equals(desktop.find(".cursor").getCssValue("left"))
              && "50px".equals(desktop.find(".cursor").getCssValue("top")));
        }
      }
      desktop.find("#more").click();
      desktop.waitFor("the note below in view", d -> inView(desktop, "below"));
      assertEquals(List.of(), phone.pageErrors());
      assertEquals(List.of(), desktop.pageErrors());
    }
  }

  @Test
  void changesTheServerCannotStoreStayShownAndAreStoredOnceByThemselvesWhenItCan() throws Exception {
    String board = "board-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser one = Browser.open(); Browser two = Browser.open()) {
      openOnBothGateways(board, one, two);
      String note = addStoredNote(one, two);

      one.js(ChatPageTest.STORAGE_DOWN);
      one.find(".note[data-note='" + note + "'] textarea").sendKeys("kept through the outage", Keys.TAB);
      one.find("#add").click();
      one.waitForText("#banner", "Changes cannot be stored right now. Yours are kept here");
      assertEquals("banner warn", one.find("#banner").getDomAttribute("class"));
      // Neither undone: the text stays as written, and the new note stays, marked as saving.
      assertEquals("kept through the outage", textOf(one, note));
      assertEquals(1, one.findAll(".note.pending").size());

      one.js("window.storageDown = false;");
      two.waitFor("the edit and the new note, stored", Duration.ofSeconds(40),
          d -> "kept through the outage".equals(textOf(two, note)) && two.findAll(".note:not(.pending)").size() == 2);
      one.waitFor("the banner gone", d -> !one.find("#banner").isDisplayed());
      one.waitFor("the same board", d -> state(one).equals(state(two)));
      String stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(cluster.gatewayA() + "/api/topics/board." + board + "/events")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertEquals(1, stored.split("kept through the outage", -1).length - 1, stored);
      assertEquals(2, stored.split("\"op\":\"add\"", -1).length - 1, stored);
      assertEquals(List.of(), one.pageErrors());
      assertEquals(List.of(), two.pageErrors());
    }
  }

  @Test
  void textIsSeenByTheOthersWhileItIsTypedAndTheColourDotRecoloursTheNoteEverywhere() {
    String board = "board-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser one = Browser.open(); Browser two = Browser.open()) {
      openOnBothGateways(board, one, two);
      String note = addStoredNote(one, two);

      // Still typing: the text keeps the focus, and the other page has what was written at the pause.
      one.find(".note[data-note='" + note + "'] textarea").sendKeys("written as we speak");
      two.waitFor("the text before the writer leaves the note", d -> "written as we speak".equals(textOf(two, note)));
      assertEquals(Boolean.TRUE, one.js("return document.activeElement === document.querySelector(\".note[data-note='\" + arguments[0] + \"'] textarea\")", note));

      String before = two.find(".note[data-note='" + note + "']").getCssValue("background-color");
      one.find(".note[data-note='" + note + "'] .note-colour").click();
      for (Browser page : List.of(one, two)) {
        page.waitFor("the next colour", d -> !before.equals(page.find(".note[data-note='" + note + "']").getCssValue("background-color")));
      }
      assertEquals(one.find(".note[data-note='" + note + "']").getCssValue("background-color"),
          two.find(".note[data-note='" + note + "']").getCssValue("background-color"));
      one.screenshot("board-colour");
      assertEquals(List.of(), one.pageErrors());
      assertEquals(List.of(), two.pageErrors());
    }
  }

  /** Whether {@code note} lies wholly inside the part of the board in view. */
  private static boolean inView(Browser browser, String note) {
    return (Boolean) browser.js("const b = document.getElementById('board');"
        + " const n = b.querySelector(`.note[data-note='${arguments[0]}']`);"
        + " return n.offsetLeft >= b.scrollLeft && n.offsetTop >= b.scrollTop"
        + " && n.offsetLeft + n.offsetWidth <= b.scrollLeft + b.clientWidth"
        + " && n.offsetTop + n.offsetHeight <= b.scrollTop + b.clientHeight;", note);
  }

  /** Opens the board as One on gateway A and as Two on gateway B, once each sees both present. */
  private void openOnBothGateways(String board, Browser one, Browser two) {
    one.get(cluster.gatewayA() + "/board.html?board=" + board + "&name=One");
    two.get(cluster.gatewayB() + "/board.html?board=" + board + "&name=Two");
    for (Browser browser : List.of(one, two)) {
      browser.waitForState("#state", "open");
      browser.waitFor("presence of both", d -> browser.find("#who").getText().startsWith("2 people"));
    }
  }

  /** Adds a note on {@code one}, the first of the board, once both pages show it stored; its id. */
  private static String addStoredNote(Browser one, Browser two) {
    one.find("#add").click();
    one.waitFor("a stored note", d -> one.findAll(".note:not(.pending)").size() == 1);
    String note = one.find(".note").getDomAttribute("data-note");
    two.waitFor("the note on the other page", d -> two.findAll(".note").size() == 1);
    return note;
  }

  /** Whether two notes are far enough apart that neither hides the other's grip. */
  private static boolean apart(Map<String, Object> a, Map<String, Object> b) {
    return Math.abs(px(a.get("x")) - px(b.get("x"))) >= 100 || Math.abs(px(a.get("y")) - px(b.get("y"))) >= 100;
  }

  private static int px(Object css) {
    return Integer.parseInt(String.valueOf(css).replace("px", ""));
  }

  private static String textOf(Browser browser, String note) {
    return browser.find(".note[data-note='" + note + "'] textarea").getDomProperty("value");
  }

  /** Every note on the page: its id, text and position, in id order. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> state(Browser browser) {
    return (List<Map<String, Object>>) browser.js("return [...document.querySelectorAll('.note')]"
        + ".map(n => ({id: n.dataset.note, text: n.querySelector('textarea').value, x: n.style.left, y: n.style.top}))"
        + ".sort((a, b) => a.id < b.id ? -1 : 1)");
  }
}
