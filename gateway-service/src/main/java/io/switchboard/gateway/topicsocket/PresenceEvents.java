package io.switchboard.gateway.topicsocket;

import io.switchboard.gateway.presence.Present;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * PresenceEvents are the joins and leaves of topic presence, as gateways pass them to each other on
 * {@link io.switchboard.common.Addresses#TOPIC_PRESENCE},
 * {@code {"type":"join"|"leave","topic":"t","id":"<connection id>","user":"<sub or null>"}}, which
 * is also the frame subscribers with presence get.
 */
public final class PresenceEvents {

  static final String JOIN = "join";
  static final String LEAVE = "leave";

  private PresenceEvents() {
  }

  static JsonObject join(String topic, String id, String user) {
    return event(JOIN, topic, id, user);
  }

  /** A leave, for a connection that went or that was swept with its lost gateway. */
  public static JsonObject leave(String topic, String id, String user) {
    return event(LEAVE, topic, id, user);
  }

  private static JsonObject event(String type, String topic, String id, String user) {
    return new JsonObject().put("type", type).put("topic", topic).put("id", id).put("user", user);
  }

  /** The {@code present} list of {@code subscribed}. */
  static JsonArray present(List<Present> present) {
    JsonArray list = new JsonArray();
    present.forEach(each -> list.add(new JsonObject().put("id", each.id()).put("user", each.user())));
    return list;
  }

  static String topicOf(JsonObject event) {
    return event.getValue("topic") instanceof String topic ? topic : null;
  }
}
