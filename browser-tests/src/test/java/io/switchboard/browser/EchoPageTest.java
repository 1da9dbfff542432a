package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;

@ExtendWith(SwitchboardCluster.class)
class EchoPageTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  @Test
  void messageTypedOnTheEchoPageComesBackFromTheEchoService() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/echo.html");
      browser.waitForState("#state", "open");
      browser.find("#text").sendKeys("hello from chromium", Keys.ENTER);
      browser.waitForText("#log li.reply", "Server received: hello from chromium");
      browser.find("#text").sendKeys("second message", Keys.ENTER);
      browser.waitForText("#log li.reply", "Server received: second message");
      browser.screenshot("echo");
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  @Test
  void sdkQueuesWhileConnectingAndPairsRepliesInOrder() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayB() + "/");
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) browser.jsAsync("""
          const done = arguments[arguments.length - 1];
          import('/js/switchboard.js').then(async (sb) => {
            const echo = new sb.EchoClient({ maxQueue: 3 });
            echo.connect();
            // Not open yet: these queue, the fourth is rejected.
            const replies = [echo.request('a'), echo.request('b'), echo.request('c')];
            let rejected = null;
            try { echo.send('d'); } catch (err) { rejected = err.code; }
            const answers = await Promise.all(replies);
            echo.close();
            done({ answers, rejected, state: echo.state });
          }).catch((err) => done({ error: String(err) }));
          """);
      assertEquals(List.of("Server received: a", "Server received: b", "Server received: c"),
          result.get("answers"), String.valueOf(result));
      assertEquals("queue-full", result.get("rejected"));
      assertEquals("closed", result.get("state"));
    }
  }

  @Test
  void backoffScheduleIsFullJitterUnderAnExponentialCap() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      @SuppressWarnings("unchecked")
      List<Long> ceilings = (List<Long>) browser.jsAsync("""
          const done = arguments[arguments.length - 1];
          import('/js/switchboard.js').then((sb) => {
            // random() just below 1 gives the ceiling of each attempt's window.
            done([0, 1, 2, 3, 4, 5, 6, 10].map((n) => sb.backoffDelay(n, sb.DEFAULT_BACKOFF, () => 0.99999)));
          });
          """);
      assertEquals(List.of(499L, 999L, 1999L, 3999L, 7999L, 14999L, 14999L, 14999L), ceilings);
      Object zero = browser.jsAsync("""
          const done = arguments[arguments.length - 1];
          import('/js/switchboard.js').then((sb) => done(sb.backoffDelay(7, sb.DEFAULT_BACKOFF, () => 0)));
          """);
      assertEquals(0L, zero);
      assertTrue(browser.pageErrors().isEmpty(), browser.pageErrors().toString());
    }
  }
}
