package io.switchboard.sse;

import io.switchboard.common.log.LimitLog;
import io.switchboard.common.sse.TopicTouch;
import io.switchboard.common.sse.Topics;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * TouchConsumer takes the gateways' {@link TopicTouch} reports of topics with subscribers, and
 * keeps those topics from expiring. Names that are not valid topics are skipped, and a report
 * never names more than {@link TopicTouch#MAX_TOPICS}; it has no answer.
 */
public final class TouchConsumer implements Handler<Message<JsonObject>> {

  private static final LimitLog FAILURES = new LimitLog(LoggerFactory.getLogger(TouchConsumer.class));

  private final TopicHistory history;

  public TouchConsumer(TopicHistory history) {
    this.history = history;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    Set<String> topics = new HashSet<>();
    for (String topic : TopicTouch.fromJson(message.body()).topics()) {
      if (topics.size() >= TopicTouch.MAX_TOPICS) {
        break;
      }
      if (Topics.isValid(topic)) {
        topics.add(topic);
      }
    }
    if (!topics.isEmpty()) {
      history.touch(topics).onFailure(err -> FAILURES.hit("topic-touch",
          "{} subscribed topics not kept from expiring: {}", topics.size(), err.toString()));
    }
  }
}
