package io.switchboard.gateway.topicsocket;

import io.switchboard.gateway.presence.Present;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SubscriberPresence is who one {@code /ws/topics} subscriber with {@code presence} knows to be
 * present in its topic, as it was told: the list in {@code subscribed}, then each {@code join} and
 * {@code leave} that changed it. Joins and leaves that come before the subscription opened are
 * held, up to a bound, and written once it opens. Used from its connection's event loop only.
 */
final class SubscriberPresence {

  /** Presence events held for a subscription that has not opened yet; more are dropped. */
  static final int MAX_HELD = 1000;

  private final String topic;
  private final String connectionId;
  /** By connection id to user (null without one). */
  private final Map<String, String> present;
  /** Listed in {@code subscribed}; null for a subscription that starts again by itself. */
  private final List<Present> atOpen;
  private final ArrayDeque<JsonObject> held = new ArrayDeque<>();

  private SubscriberPresence(String topic, String connectionId, Map<String, String> present, List<Present> atOpen) {
    this.topic = topic;
    this.connectionId = connectionId;
    this.present = present;
    this.atOpen = atOpen;
  }

  /** Presence for {@code connectionId}, whose {@code subscribed} lists {@code everyone}. */
  static SubscriberPresence of(String topic, String connectionId, List<Present> everyone) {
    Map<String, String> present = new HashMap<>();
    everyone.forEach(each -> present.put(each.id(), each.user()));
    return new SubscriberPresence(topic, connectionId, present, everyone);
  }

  /** The same knowledge, for the subscription that starts again after this one's feed ended. */
  SubscriberPresence continued() {
    return new SubscriberPresence(topic, connectionId, present, null);
  }

  /** Who {@code subscribed} lists; null when it lists no one (a subscription started again). */
  List<Present> atOpen() {
    return atOpen;
  }

  /**
   * A join or leave of the topic: written when it changes who the subscriber knows to be present,
   * held while the subscription has not opened. The connection's own are not its news.
   */
  void event(JsonObject event, boolean opened, TopicSocket socket) {
    String id = event.getString("id");
    if (connectionId.equals(id)) {
      return;
    }
    if (!opened) {
      if (held.size() < MAX_HELD) {
        held.add(event);
      }
      return;
    }
    boolean joins = PresenceEvents.JOIN.equals(event.getString("type"));
    if (joins != present.containsKey(id)) {
      if (joins) {
        present.put(id, event.getString("user"));
      } else {
        present.remove(id);
      }
      socket.send(event);
    }
  }

  /** The subscription opened: the events held meanwhile are written, in order. */
  void opened(TopicSocket socket) {
    while (!held.isEmpty()) {
      event(held.poll(), true, socket);
    }
  }

  /**
   * Brings who the subscriber knows to be present up to {@code everyone}, as the directory was read
   * again: a leave for each it knows of that is not in {@code listed}, the ids of any read, then a
   * join for each of {@code everyone} that it does not know of.
   */
  void again(List<Present> everyone, Set<String> listed, TopicSocket socket) {
    for (Map.Entry<String, String> known : new ArrayList<>(present.entrySet())) {
      if (!listed.contains(known.getKey())) {
        event(PresenceEvents.leave(topic, known.getKey(), known.getValue()), true, socket);
      }
    }
    everyone.forEach(each -> event(PresenceEvents.join(topic, each.id(), each.user()), true, socket));
  }
}
