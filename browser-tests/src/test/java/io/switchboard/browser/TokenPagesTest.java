package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.auth.TokenMint;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo pages in {@code AUTH_MODE=jwt}: a page that the gateway answers 401 shows a token field
 * with the command that mints one, refuses what the gateway refuses, and connects with what it
 * accepts; the tab's other pages reuse the token, a page that needs more (the dashboard, admin)
 * asks again, and {@code ?token=} in the address is taken and removed from it. The open-mode
 * behaviour of the same pages is what the other page tests check.
 */
@ExtendWith(SwitchboardCluster.class)
class TokenPagesTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  private static String tokenCard(Browser browser) {
    return browser.find("#token-gate .banner").getText();
  }

  @Test
  void inJwtModeThePagesAskForATokenKeepItForTheTabAndConnectWithIt() {
    String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
    ClusterNode node = cluster.startNode();
    try (Browser browser = Browser.open()) {
      GatewayVerticle gateway = new GatewayVerticle(GatewayConfig.from(new Env(Map.of(
          "HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1", "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", secret))),
          ClusterView.of(node));
      TestCluster.await(node.vertx().deployVerticle(gateway));
      String base = "http://127.0.0.1:" + gateway.actualPort();
      TokenMint mint = new TokenMint(node.vertx(), secret, null, null);
      String user = mint.mint(new TokenMint.Claims("ada", Duration.ofHours(1), List.of("*"), List.of("*"),
          List.of("*"), false));
      String admin = mint.mint(new TokenMint.Claims("ops", Duration.ofHours(1), List.of(), List.of(),
          List.of(), true));

      browser.get(base + "/echo.html");
      browser.waitForState("#state", "token");
      assertTrue(tokenCard(browser).contains("AUTH_MODE=jwt"), tokenCard(browser));
      assertTrue(browser.find("#token-gate pre.command").getText()
          .startsWith("java -jar standalone/target/switchboard.jar token --sub you"));
      browser.screenshot("jwt-echo-token-needed");

      browser.find("#token-input").sendKeys("not.a.token");
      browser.find("#token-submit").click();
      browser.waitForText("#token-gate .banner", "The gateway refused this token");

      browser.find("#token-input").clear();
      browser.find("#token-input").sendKeys(user);
      browser.find("#token-submit").click();
      browser.waitForState("#state", "open");
      assertFalse(browser.find("#token-gate").isDisplayed());
      browser.find("#text").sendKeys("hello with a token");
      browser.find("#send-button").click();
      browser.waitForText("#log li", "Server received: hello with a token");

      // The tab keeps the token: the live feed connects without asking.
      browser.get(base + "/feed.html?topic=jwt-feed");
      browser.waitForState("#state", "open");
      assertTrue(browser.findAll("#token-gate").isEmpty(), "the feed asked for a token again");

      // The dashboard needs the admin claim, which this token lacks.
      browser.get(base + "/dashboard.html");
      browser.waitForText("#token-gate .banner", "This token does not allow this page");
      assertTrue(browser.find("#token-gate pre.command").getText().endsWith("--admin"));
      browser.screenshot("jwt-dashboard-forbidden");

      browser.get(base + "/dashboard.html?token=" + admin);
      browser.waitForState("#state", "open");
      browser.waitFor("the first cluster view", d -> !browser.find("#stat-nodes").getText().equals("–"));
      assertFalse(browser.driver().getCurrentUrl().contains("token="), browser.driver().getCurrentUrl());
      browser.screenshot("jwt-dashboard");
      assertEquals(List.of(), browser.pageErrors());
    } finally {
      cluster.stopNode(node);
    }
  }
}
