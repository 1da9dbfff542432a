package io.switchboard.sse;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.PublishedEvent;
import io.switchboard.common.sse.Topics;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteConsumer deletes a topic's history at an operator's request ({@code {"topic": ...}}), then
 * tells every gateway, whose subscribers of the topic are told that its history is lost and stay
 * subscribed. The answer is {@code {"topic": ..., "deleted": true}}, or false when the topic had no
 * history.
 */
public final class DeleteConsumer implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(DeleteConsumer.class);

  private final TopicHistory history;
  private final EventBus bus;

  public DeleteConsumer(TopicHistory history, EventBus bus) {
    this.history = history;
    this.bus = bus;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    String topic = message.body() == null ? null : message.body().getString("topic");
    if (!Topics.isValid(topic)) {
      message.fail(ErrorCode.BAD_TOPIC.busCode(), "Not a valid topic name");
      return;
    }
    history.delete(topic)
        .onSuccess(epoch -> {
          if (epoch != null) {
            LOG.info("Deleted the history of topic {} (epoch {})", topic, epoch);
            bus.publish(Addresses.SSE_EVENTS, PublishedEvent.deletion(topic, epoch));
          }
          message.reply(new JsonObject().put("topic", topic).put("deleted", epoch != null));
        })
        .onFailure(err -> message.fail(ErrorCode.SERVICE_UNAVAILABLE.busCode(),
            "The topic's history could not be deleted: " + err.getMessage()));
  }
}
