package io.switchboard.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.EventTypes;
import io.switchboard.common.sse.Topics;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PublishConsumer answers publish requests from gateways: {@code {"topic", "event"?, "data"}},
 * where data is encoded JSON, with {@code {"topic", "id"}} once the event is stored.
 */
public final class PublishConsumer implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(PublishConsumer.class);

  private final TopicPublisher publisher;

  public PublishConsumer(TopicPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    String topic = body == null ? null : body.getValue("topic") instanceof String t ? t : null;
    if (!Topics.isValid(topic) || Topics.isReserved(topic)) {
      message.fail(ErrorCode.BAD_TOPIC.busCode(), "Not a topic clients may publish to");
      return;
    }
    Object type = body.getValue("event");
    Object data = body.getValue("data");
    if ((type != null && !(type instanceof String text && EventTypes.isValid(text)))
        || !(data instanceof String)) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "Malformed publish request");
      return;
    }
    publisher.publish(topic, (String) type, (String) data)
        .onSuccess(event -> message.reply(new JsonObject().put("topic", topic)
            .put("id", event.id().toString())))
        .onFailure(err -> {
          if (err instanceof TopicHistory.TopicLimitException) {
            message.fail(ErrorCode.TOPIC_LIMIT.busCode(), err.getMessage());
            return;
          }
          LOG.error("Could not store an event of topic {}: {}", topic, err.toString());
          message.fail(ErrorCode.INTERNAL.busCode(), "Could not store the event");
        });
  }
}
