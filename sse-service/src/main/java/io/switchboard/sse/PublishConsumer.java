package io.switchboard.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.TransientFailures;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.service.FatalErrors;
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
  private static final LimitLog LIMITS = new LimitLog(LOG);
  /** The longest idempotency key accepted, before the gateway's scoping. */
  public static final int MAX_KEY_LENGTH = 512;
  /** The longest creator accepted: an address, or a user's id. */
  public static final int MAX_CREATOR_LENGTH = 512;

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
    if (!wellFormed(request)) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "Malformed publish request");
      return;
    }
    String key = request.key();
    String stored = key == null ? PublishKeys.generated() : PublishKeys.client(request.scope(), key);
    // A publisher exempt from the creation limit is served as one whose creations are not known.
    String creator = request.rateExempt() ? null : request.creator();
    publisher.publish(topic, request.event(), request.data(), stored, creator, request.deadline())
        .onSuccess(appended -> message.reply(new PublishReply(topic, appended.event().id().toString(),
            appended.replayed()).toJson()))
        .onFailure(err -> {
          if (err instanceof PublishRefusal refusal) {
            logRefusal(topic, refusal.code());
            message.fail(refusal.code().busCode(), refusal.getMessage());
          } else if (TransientFailures.transientFailure(err)) {
            // This member is leaving (dropped after a freeze, or stopping), or the topic's member left or
            // moved it: another attempt can store it.
            LOG.atWarn().addKeyValue(LogFields.TOPIC, topic)
                .log("Not storing an event of topic {}: the cluster changed under the write: {}", topic, err.toString());
            message.fail(ErrorCode.SERVICE_UNAVAILABLE.busCode(), "The cluster changed while the event was"
                + " being stored; it may or may not be stored: retry with the same Idempotency-Key");
          } else {
            FatalErrors.haltOnOutOfMemory(err);
            LOG.atError().addKeyValue(LogFields.TOPIC, topic)
                .log("Could not store an event of topic {}: {}", topic, err.toString());
            message.fail(ErrorCode.INTERNAL.busCode(), "Could not store the event");
          }
        });
  }

  /** The creation limit and the topic cap are logged where they are checked, in {@link TopicCreation}. */
  private static void logRefusal(String topic, ErrorCode code) {
    LogFields ids = LogFields.of(LogFields.TOPIC, topic);
    switch (code) {
      case IDEMPOTENCY_CONFLICT -> LIMITS.hit("idempotency-conflict", ids, "Refusing a publish to topic {}: its"
          + " Idempotency-Key was used for another event within PUBLISH_IDEMPOTENCY_WINDOW_SECONDS", topic);
      case NO_QUORUM -> LIMITS.hit("no-quorum", ids, "Refusing a publish to topic {}: this side of the cluster"
          + " has fewer data members than CLUSTER_MIN_DATA_MEMBERS", topic);
      case TIMEOUT -> LIMITS.hit("publish-late", ids, "Not storing a publish to topic {}: it came after its"
          + " deadline, when its gateway had answered 504 (was this member frozen or overloaded?)", topic);
      case TOO_LARGE -> LIMITS.hit("event-too-large", ids, "Refusing a publish to topic {}: the event is over"
          + " the bytes an event may take (half of SSE_HISTORY_MAX_BYTES_PER_TOPIC)", topic);
      default -> {
      }
    }
  }

  private static boolean wellFormed(PublishRequest request) {
    String type = request.event();
    String key = request.key();
    String creator = request.creator();
    return (type == null || EventTypes.isValid(type)) && request.data() != null
        && (key == null || (!key.isEmpty() && key.length() <= MAX_KEY_LENGTH))
        && (request.scope() == null || !request.scope().isEmpty())
        && (creator == null || (!creator.isEmpty() && creator.length() <= MAX_CREATOR_LENGTH));
  }
}
