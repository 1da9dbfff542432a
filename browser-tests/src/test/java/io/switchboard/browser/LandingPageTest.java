package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

@ExtendWith(SwitchboardCluster.class)
class LandingPageTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  @Test
  void landingPageLinksEveryDemoPageAndEachLoads() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      List<String> links = browser.findAll(".tiles-nav a.feature").stream()
          .map(e -> e.getDomAttribute("href")).toList();
      assertEquals(List.of("/echo.html", "/feed.html", "/chat.html", "/board.html", "/call.html", "/dashboard.html"),
          links);
      browser.screenshot("landing");
      for (String link : links) {
        browser.get(cluster.gatewayA() + link);
        WebElement heading = browser.find("h1");
        assertTrue(!heading.getText().isBlank(), link + " has no heading");
        assertEquals("/css/switchboard.css", browser.find("link[rel=stylesheet]").getDomAttribute("href"));
      }
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void inOpenModeNoPageMakesARequestThatFails() {
    try (Browser browser = Browser.open()) {
      for (String page : List.of("/", "/echo.html", "/feed.html", "/chat.html", "/board.html", "/call.html",
          "/dashboard.html")) {
        browser.get(cluster.gatewayA() + page);
        // Every page first asks the gateway, with a fetch, whether it needs a token; its answer is in
        // once the fetch is among the page's resources.
        browser.waitFor(page + " asked about credentials", d -> (Boolean) browser.js(
            "return performance.getEntriesByType('resource').some(e => e.initiatorType === 'fetch')"));
        assertEquals(List.of(), browser.js("return performance.getEntriesByType('resource')"
            + ".filter(e => e.responseStatus >= 400).map(e => e.name + ' ' + e.responseStatus)"), page);
      }
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void landingPageEchoesWhatIsTypedInItsInputBox() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      browser.waitForState("#quick-state", "open");
      browser.find("#quick-text").sendKeys("hello from the landing page", org.openqa.selenium.Keys.ENTER);
      browser.waitForText("#quick-log li.reply", "Server received: hello from the landing page");
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void landingPageIsReadableOnAPhone() {
    try (Browser browser = Browser.phone()) {
      browser.get(cluster.gatewayA() + "/");
      Number scrollWidth = (Number) browser.js("return document.documentElement.scrollWidth");
      Number viewport = (Number) browser.js("return window.innerWidth");
      assertTrue(scrollWidth.intValue() <= viewport.intValue(),
          "page is wider than the phone: " + scrollWidth + " > " + viewport);
      browser.screenshot("landing-phone");

      browser.get(cluster.gatewayB() + "/echo.html");
      browser.waitForState("#state", "open");
      browser.find("#text").sendKeys("from a phone", org.openqa.selenium.Keys.ENTER);
      browser.waitForText("#log li.reply", "Server received: from a phone");
      scrollWidth = (Number) browser.js("return document.documentElement.scrollWidth");
      assertTrue(scrollWidth.intValue() <= viewport.intValue(), "echo page wider than the phone");
      browser.screenshot("echo-phone");
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void onAPhoneEveryPageKeepsItsLinksInOneRowThatScrollsToTheCurrentPage() {
    try (Browser browser = Browser.phone()) {
      for (String page : List.of("echo", "feed", "chat", "board", "call", "dashboard")) {
        browser.get(cluster.gatewayA() + "/" + page + ".html");
        browser.waitFor(page + ": the links laid out", d -> browser.js("return document.querySelector('.nav').scrollWidth") != null);
        // One row of links under the brand and the pill: the header leaves the page most of the screen.
        Number rows = (Number) browser.js("const tops = new Set([...document.querySelectorAll('.nav a')]"
            + ".map(a => Math.round(a.getBoundingClientRect().top))); return tops.size;");
        assertEquals(1, rows.intValue(), page);
        Number header = (Number) browser.js("return document.querySelector('.topbar').getBoundingClientRect().height");
        assertTrue(header.intValue() <= 96, page + ": header " + header + " px high");
        // The current page's link is in view, and the page is no wider than the phone.
        assertEquals(Boolean.TRUE, browser.js("const nav = document.querySelector('.nav');"
            + " const a = nav.querySelector('[aria-current=page]').getBoundingClientRect(); const n = nav.getBoundingClientRect();"
            + " return a.left >= n.left - 1 && a.right <= n.right + 1;"), page);
        assertTrue(((Number) browser.js("return document.documentElement.scrollWidth")).intValue()
            <= ((Number) browser.js("return window.innerWidth")).intValue(), page + " wider than the phone");
        if (page.equals("dashboard")) {
          browser.screenshot("dashboard-phone");
        }
      }
    }
  }

  @Test
  void sdkIsServedAsJavaScript() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(cluster.gatewayB() + "/js/switchboard.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    String type = response.headers().firstValue("Content-Type").orElse("");
    assertTrue(type.startsWith("text/javascript"), type);
    assertTrue(response.body().contains("export class SignalingClient"));
  }
}
