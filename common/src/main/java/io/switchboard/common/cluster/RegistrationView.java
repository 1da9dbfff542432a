package io.switchboard.common.cluster;

import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RegistrationView is what this member's event bus routes by: who consumes each address, as the
 * cluster's subscription table says, less the members the cluster has dropped.
 *
 * <p>Vert.x learns that a member is gone from that table alone. Every member scans the whole table
 * for the departed member's consumers and removes them one by one, and only each removal reaches
 * the routing of the senders, as an update. While the departed member's partitions move that takes
 * seconds, and meanwhile requests are still sent to it, round robin, to time out: a member frozen
 * by a long pause costs every such request the whole request timeout after the cluster has dropped
 * it. This view takes a departed member out of every address this member routes to as soon as
 * Hazelcast reports the departure, and keeps it out of what the table says until it comes back.
 *
 * <p>It sits between Vert.x's cluster manager, which reports the table, and Vert.x's routing, the
 * listener it was given. Thread-safe: updates come from Hazelcast's and Vert.x's threads.
 */
final class RegistrationView implements RegistrationListener {

  /** Departed members remembered at most; long gone ones no longer appear in the table. */
  static final int MAX_DEPARTED = 1024;

  private final Set<String> departed = Collections.newSetFromMap(Collections.synchronizedMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_DEPARTED;
        }
      }));
  /** The consumers of the addresses routing asked for, as last given to it. */
  private final Map<String, List<RegistrationInfo>> known = new ConcurrentHashMap<>();
  private volatile RegistrationListener routing = new RegistrationListener() { };

  /** Passes what this view resolves on to {@code routing}: Vert.x's node selector. */
  void routeTo(RegistrationListener routing) {
    this.routing = routing;
  }

  /** The consumers of {@code address} among {@code registrations} that are not departed. */
  List<RegistrationInfo> resolved(String address, List<RegistrationInfo> registrations) {
    List<RegistrationInfo> present = registrations.stream()
        .filter(registration -> !departed.contains(registration.nodeId()))
        .toList();
    if (present.isEmpty()) {
      known.remove(address);
    } else {
      known.put(address, present);
    }
    return present;
  }

  @Override
  public boolean wantsUpdatesFor(String address) {
    return routing.wantsUpdatesFor(address);
  }

  @Override
  public void registrationsUpdated(RegistrationUpdateEvent event) {
    String address = event.address();
    routing.registrationsUpdated(new RegistrationUpdateEvent(address,
        resolved(address, event.registrations())));
  }

  @Override
  public void registrationsLost() {
    routing.registrationsLost();
  }

  /** The member of Vert.x node {@code nodeId} left or was dropped: routing forgets it now. */
  void departed(String nodeId) {
    departed.add(nodeId);
    known.forEach((address, registrations) -> {
      boolean routedTo = registrations.stream().anyMatch(r -> r.nodeId().equals(nodeId));
      if (routedTo && routing.wantsUpdatesFor(address)) {
        registrationsUpdated(new RegistrationUpdateEvent(address, registrations));
      }
    });
  }

  /**
   * The member of {@code nodeId} is in the cluster again, back from a split; true when it had
   * departed, and the addresses routed to should be read from the table again.
   */
  boolean returned(String nodeId) {
    return departed.remove(nodeId);
  }

  /** The addresses routing asked for and that have consumers. */
  Set<String> knownAddresses() {
    return Set.copyOf(known.keySet());
  }
}
