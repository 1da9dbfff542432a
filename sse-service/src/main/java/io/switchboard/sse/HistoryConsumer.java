package io.switchboard.sse;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.TransientFailures;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.service.FatalErrors;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.HistoryRequest;
import io.switchboard.common.sse.Topics;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HistoryConsumer answers {@link HistoryRequest}s from gateways with a {@link HistoryPage}. An
 * {@code after} that is not a well-formed id counts as unknown.
 */
public final class HistoryConsumer implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryConsumer.class);

  private final TopicHistory history;

  public HistoryConsumer(TopicHistory history) {
    this.history = history;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    HistoryRequest request = HistoryRequest.fromJson(message.body());
    String topic = request.topic();
    if (!Topics.isValid(topic)) {
      message.fail(ErrorCode.BAD_TOPIC.busCode(), "Not a valid topic name");
      return;
    }
    if (request.limit() < 0) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "limit must be a non-negative integer");
      return;
    }
    EventId after = null;
    if (request.after() != null) {
      // An id that does not parse cannot be in the history: report it as unknown.
      after = EventId.parse(request.after()).orElse(new EventId("unknown", Long.MAX_VALUE));
    }
    history.read(topic, after, request.limit())
        .onSuccess(page -> message.reply(page.toJson()))
        .onFailure(err -> {
          if (err instanceof PublishRefusal refusal) {
            message.fail(refusal.code().busCode(), refusal.getMessage());
            return;
          }
          if (TransientFailures.transientFailure(err)) {
            message.fail(ErrorCode.SERVICE_UNAVAILABLE.busCode(), "The cluster changed during the read; retry");
            return;
          }
          FatalErrors.haltOnOutOfMemory(err);
          LOG.atError().addKeyValue(LogFields.TOPIC, topic)
              .log("Could not read the history of topic {}: {}", topic, err.toString());
          message.fail(ErrorCode.INTERNAL.busCode(), "Could not read the history");
        });
  }
}
