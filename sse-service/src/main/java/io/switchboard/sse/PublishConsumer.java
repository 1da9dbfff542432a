package io.switchboard.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.EventTypes;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.Topics;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PublishConsumer answers {@link PublishRequest}s from gateways with a {@link PublishReply} once the
 * event is stored, or once its idempotency key is found to have stored it already.
 */
public final class PublishConsumer implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(PublishConsumer.class);
  /** The longest idempotency key accepted, before the gateway's scoping. */
  public static final int MAX_KEY_LENGTH = 512;

  private final TopicPublisher publisher;

  public PublishConsumer(TopicPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    PublishRequest request = PublishRequest.fromJson(message.body());
    String topic = request.topic();
    if (!Topics.isValid(topic) || Topics.isReserved(topic)) {
      message.fail(ErrorCode.BAD_TOPIC.busCode(), "Not a topic clients may publish to");
      return;
    }
    String type = request.event();
    String key = request.key();
    if ((type != null && !EventTypes.isValid(type)) || request.data() == null
        || (key != null && (key.isEmpty() || key.length() > MAX_KEY_LENGTH))
        || (request.scope() != null && request.scope().isEmpty())) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "Malformed publish request");
      return;
    }
    String stored = key == null ? PublishKeys.generated() : PublishKeys.client(request.scope(), key);
    publisher.publish(topic, type, request.data(), stored)
        .onSuccess(appended -> message.reply(new PublishReply(topic, appended.event().id().toString(),
            appended.replayed()).toJson()))
        .onFailure(err -> {
          if (err instanceof TopicHistory.TopicLimitException) {
            message.fail(ErrorCode.TOPIC_LIMIT.busCode(), err.getMessage());
          } else if (err instanceof TopicHistory.IdempotencyConflictException) {
            message.fail(ErrorCode.IDEMPOTENCY_CONFLICT.busCode(), err.getMessage());
          } else {
            LOG.error("Could not store an event of topic {}: {}", topic, err.toString());
            message.fail(ErrorCode.INTERNAL.busCode(), "Could not store the event");
          }
        });
  }
}
