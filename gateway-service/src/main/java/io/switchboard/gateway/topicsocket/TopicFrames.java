package io.switchboard.gateway.topicsocket;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.topic.IdempotencyKeys;
import io.switchboard.gateway.transport.StrictJson;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * TopicFrames builds the frames the gateway sends on {@code /ws/topics} (docs/protocol.md, "Topics
 * over WebSocket"), but the events themselves, which {@link SocketEvent} encodes.
 */
final class TopicFrames {

  static final String WELCOME = "welcome";
  static final String SUBSCRIBE = "subscribe";
  static final String SUBSCRIBED = "subscribed";
  static final String UNSUBSCRIBE = "unsubscribe";
  static final String UNSUBSCRIBED = "unsubscribed";
  static final String PUBLISH = "publish";
  static final String PUBLISHED = "published";
  static final String HISTORY_LOST = "history-lost";

  private TopicFrames() {
  }

  static JsonObject welcome(String connectionId, String user) {
    JsonObject frame = new JsonObject().put("type", WELCOME).put("id", connectionId);
    if (user != null) {
      frame.put("user", user);
    }
    return frame;
  }

  /** {@code position}: the id of the topic's newest event when the subscription opened, or null. */
  static JsonObject subscribed(String topic, EventId position) {
    return new JsonObject().put("type", SUBSCRIBED).put("topic", topic)
        .put("position", position == null ? null : position.toString());
  }

  static JsonObject unsubscribed(String topic) {
    return new JsonObject().put("type", UNSUBSCRIBED).put("topic", topic);
  }

  /** Events after {@code since} are gone, for {@code reason}; what is retained follows. */
  static JsonObject historyLost(String topic, String since, String reason) {
    return new JsonObject().put("type", HISTORY_LOST).put("topic", topic).put("since", since)
        .put("reason", reason);
  }

  /** {@code id} null for an ephemeral event, which has none. */
  static JsonObject published(String topic, String id, String ref) {
    JsonObject frame = new JsonObject().put("type", PUBLISHED).put("topic", topic);
    if (id != null) {
      frame.put("id", id);
    }
    if (ref != null) {
      frame.put("ref", ref);
    }
    return frame;
  }

  /** An error frame about a request on {@code topic} (null for none), answering {@code ref} (or null). */
  static JsonObject error(ErrorCode code, String message, String topic, String ref) {
    JsonObject frame = code.toFrame(message);
    if (topic != null) {
      frame.put("topic", topic);
    }
    if (ref != null) {
      frame.put("ref", ref);
    }
    return frame;
  }

  /**
   * An error frame about a message refused before it was read (over the rate limit), with the
   * {@code topic} and {@code ref} of a refused subscribe or publish when they are valid: a client
   * then knows which of its subscriptions or publishes to try again.
   */
  static JsonObject refused(ErrorCode code, String message, String text) {
    String topic = null;
    String ref = null;
    try {
      // Only a subscribe or a publish is named: what a client sends again after the refusal.
      if (StrictJson.decode(text) instanceof JsonObject refused
          && (SUBSCRIBE.equals(refused.getValue("type")) || PUBLISH.equals(refused.getValue("type")))) {
        topic = refused.getValue("topic") instanceof String name && Topics.isValid(name) ? name : null;
        ref = refused.getValue("ref") instanceof String key && IdempotencyKeys.isValid(key) ? key : null;
      }
    } catch (IOException e) {
      // Not JSON: the frame names nothing.
    }
    return error(code, message, topic, ref);
  }
}
