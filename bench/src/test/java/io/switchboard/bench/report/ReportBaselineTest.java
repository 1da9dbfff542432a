package io.switchboard.bench.report;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportBaselineTest {

  private static Map<String, Aggregate> systems(String... names) {
    Map<String, Aggregate> systems = new LinkedHashMap<>();
    for (String name : names) {
      systems.put(name, new Aggregate(name));
    }
    return systems;
  }

  @Test
  void aGroupWithoutTheScenariosBaselineIsComparedWithTheNextNamedSystem() {
    Map<String, Aggregate> peers = systems("switchboard-embedded", "node-ws");
    Map<String, Aggregate> auth = systems("switchboard-open", "switchboard-jwt");

    assertSame(peers.get("node-ws"), Report.baseline(peers, "node-ws|switchboard-open"));
    assertSame(auth.get("switchboard-open"), Report.baseline(auth, "node-ws|switchboard-open"));
  }

  @Test
  void aGroupHoldingNoneOfTheNamesHasNoBaseline() {
    assertNull(Report.baseline(systems("switchboard-jwt"), "node-ws|switchboard-open"));
    assertNull(Report.baseline(systems("switchboard-jwt"), null));
  }
}
