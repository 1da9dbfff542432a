package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RegistrationViewTest drives the view as Vert.x's cluster manager and node selector do. */
class RegistrationViewTest {

  private static final RegistrationInfo ON_A = new RegistrationInfo("node-a", 1, false);
  private static final RegistrationInfo ON_B = new RegistrationInfo("node-b", 1, false);

  /** What Vert.x's routing was told, and the addresses it caches. */
  private static final class Routing implements RegistrationListener {
    final List<RegistrationUpdateEvent> updates = new ArrayList<>();
    final Set<String> cached;

    Routing(Set<String> cached) {
      this.cached = cached;
    }

    @Override
    public boolean wantsUpdatesFor(String address) {
      return cached.contains(address);
    }

    @Override
    public void registrationsUpdated(RegistrationUpdateEvent event) {
      updates.add(event);
    }
  }

  private final Routing routing = new Routing(Set.of("publish"));
  private final RegistrationView view = new RegistrationView();

  RegistrationViewTest() {
    view.routeTo(routing);
  }

  @Test
  void aDepartedMemberLeavesTheRoutesAtOnceBeforeTheTableIsCleaned() {
    assertEquals(List.of(ON_A, ON_B), view.resolved("publish", List.of(ON_A, ON_B)));
    view.departed("node-b");
    assertEquals(1, routing.updates.size());
    assertEquals("publish", routing.updates.get(0).address());
    assertEquals(List.of(ON_A), routing.updates.get(0).registrations());
    // The table still lists it while Vert.x cleans up: it stays out.
    assertEquals(List.of(ON_A), view.resolved("publish", List.of(ON_A, ON_B)));
  }

  @Test
  void routesThatNeverLedToTheDepartedMemberAreLeftAlone() {
    view.resolved("publish", List.of(ON_A));
    view.departed("node-b");
    assertEquals(List.of(), routing.updates);
  }

  @Test
  void aMemberBackFromASplitIsRoutedToAgain() {
    view.resolved("publish", List.of(ON_A, ON_B));
    view.departed("node-b");
    assertTrue(view.returned("node-b"));
    assertFalse(view.returned("node-b"));
    assertEquals(List.of(ON_A, ON_B), view.resolved("publish", List.of(ON_A, ON_B)));
    assertEquals(Set.of("publish"), view.knownAddresses());
  }

  @Test
  void updatesFromTheTableReachRoutingWithoutDepartedMembers() {
    view.departed("node-b");
    view.registrationsUpdated(new RegistrationUpdateEvent("publish", List.of(ON_A, ON_B)));
    assertEquals(List.of(ON_A), routing.updates.get(0).registrations());
  }
}
