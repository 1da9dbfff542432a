package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

@ExtendWith(SwitchboardCluster.class)
class DashboardPageTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  @Test
  void dashboardListsBothGatewaysAndEveryServiceRolePushedLive() {
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayB() + "/dashboard.html");
      browser.waitForState("#state", "open");
      for (String node : cluster.gatewayNodeIds()) {
        browser.waitFor("gateway node " + node + " listed",
            d -> !d.findElements(By.cssSelector("#nodes tr[data-node='" + node + "'] .role.gateway")).isEmpty());
      }
      for (String role : List.of("echo", "sse", "signaling")) {
        browser.waitFor("a node with role " + role, d -> !d.findElements(By.cssSelector("#nodes .role." + role)).isEmpty());
      }
      // The page holds its own SSE stream to gateway B, so B counts at least one stream: pushed, not polled.
      String b = cluster.gatewayNodeIds().get(1);
      browser.waitFor("gateway B counts the dashboard's stream", d -> {
        String text = d.findElement(By.cssSelector("#nodes tr[data-node='" + b + "'] td:nth-child(4)")).getText();
        return !text.equals("–") && Integer.parseInt(text) >= 1;
      });
      browser.waitFor("five nodes listed", d -> browser.findAll("#nodes tr[data-node]").size() == 5);
      browser.waitForText("#nodes tr[data-node='" + b + "']", "this gateway");
      browser.screenshot("dashboard");
      assertEquals(List.of(), browser.pageErrors());
    }
  }
}
