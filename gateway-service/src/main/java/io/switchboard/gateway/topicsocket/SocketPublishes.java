package io.switchboard.gateway.topicsocket;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.sse.EventTypes;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.auth.PublishCreator;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.topic.IdempotencyKeys;
import io.switchboard.gateway.topic.PublishBudget;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * SocketPublishes stores the events a {@code /ws/topics} connection publishes:
 * {@code {"type":"publish","topic":"t","data":<json>,"event":"<optional>","ref":"<optional>"}} is
 * answered {@code {"type":"published","topic":"t","id":"<id>","ref":"..."}} once sse-service
 * stored the event with its backups, as {@code POST /api/topics/{topic}/events} answers 202.
 *
 * <p>{@code ref} is the publish's idempotency key, in the publisher's scope and window as for HTTP:
 * sent again after a reconnect, it is answered with the first attempt's id and stores nothing.
 * With {@code "store": false} the event is ephemeral: it goes to the subscribers of the moment,
 * at most once, without an id or a place in history, and is answered {@code published} without an
 * id once it is sent. Each stored publish holds its data's size of the node's {@link PublishBudget} until it is answered; the
 * connection stops being read while {@code WS_TOPICS_MAX_PUBLISHES_IN_FLIGHT} are unanswered.
 */
final class SocketPublishes {

  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(SocketPublishes.class));

  private final TopicLog log;
  private final TopicSocket out;
  private final SocketAccess access;
  private final PublishBudget budget;
  private final int maxDataBytes;
  private final Duration timeout;
  private final Supplier<String> address;
  private final Runnable flowChanged;
  private final Ephemeral ephemeral;
  private int inFlight;

  /** Where events published with {@code "store": false} go: to the subscribers of every gateway. */
  @FunctionalInterface
  interface Ephemeral {
    void publish(String topic, String event, String data);
  }

  /**
   * {@code address} gives the client's address, who creates topics in open mode;
   * {@code flowChanged} runs whenever the number of publishes in flight changes.
   */
  SocketPublishes(TopicLog log, TopicSocket out, SocketAccess access, PublishBudget budget,
      int maxDataBytes, Duration timeout, Supplier<String> address, Runnable flowChanged, Ephemeral ephemeral) {
    this.log = log;
    this.out = out;
    this.access = access;
    this.budget = budget;
    this.maxDataBytes = maxDataBytes;
    this.timeout = timeout;
    this.address = address;
    this.flowChanged = flowChanged;
    this.ephemeral = ephemeral;
  }

  int inFlight() {
    return inFlight;
  }

  void publish(JsonObject message) {
    String ref = message.getValue("ref") instanceof String text ? text : null;
    // A null ref is no ref, as every optional field given as null is absent.
    if (message.getValue("ref") != null && !IdempotencyKeys.isValid(ref)) {
      Object named = message.getValue("topic");
      refuse(ErrorCode.BAD_REQUEST, "'ref' must be " + IdempotencyKeys.RULE,
          named instanceof String topic && Topics.isValid(topic) ? topic : null, null);
      return;
    }
    if (!(message.getValue("topic") instanceof String topic) || !Topics.isValid(topic)) {
      refuse(ErrorCode.BAD_TOPIC, Topics.NAME_RULE, null, ref);
      return;
    }
    if (Topics.isReserved(topic)) {
      refuse(ErrorCode.BAD_TOPIC, "Topic '" + topic + "' is written by the server only", topic, ref);
      return;
    }
    if (!access.grants().mayPublish(topic)) {
      refuse(ErrorCode.FORBIDDEN, "Not allowed to publish to topic '" + topic + "'", topic, ref);
      return;
    }
    String problem = problem(message);
    if (problem != null) {
      refuse(ErrorCode.BAD_REQUEST, problem, topic, ref);
      return;
    }
    String data = Json.encode(message.getValue("data"));
    int bytes = data.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxDataBytes) {
      LIMITS.hit("ws-topics-publish-too-large", LogFields.of(LogFields.TOPIC, topic), "Refusing a WebSocket publish to topic {}: data over {} bytes"
          + " (SSE_MAX_BODY_BYTES)", topic, maxDataBytes);
      refuse(ErrorCode.TOO_LARGE, "\"data\" is over " + maxDataBytes + " bytes", topic, ref);
      return;
    }
    if (Boolean.FALSE.equals(message.getValue("store"))) {
      // At most once, to the subscribers there are now: nothing to wait for.
      ephemeral.publish(topic, (String) message.getValue("event"), data);
      out.send(TopicFrames.published(topic, null, ref));
      return;
    }
    if (!budget.reserve(bytes)) {
      LIMITS.hit("publish-in-flight", LogFields.of(LogFields.TOPIC, topic), "publishes hold SSE_PUBLISH_MAX_IN_FLIGHT_BYTES; one of {} bytes refused",
          bytes);
      refuse(ErrorCode.SERVICE_UNAVAILABLE, "This gateway is storing too many publishes at once; retry shortly",
          topic, ref);
      return;
    }
    store(new PublishRequest(topic, (String) message.getValue("event"), data, ref,
        PublishCreator.keyScope(access.grants()), creator().id(), creator().rateExempt()), bytes);
  }

  private void store(PublishRequest request, int bytes) {
    inFlight++;
    flowChanged.run();
    log.append(request).onComplete(ar -> {
      budget.release(bytes);
      inFlight--;
      if (ar.succeeded()) {
        out.send(TopicFrames.published(request.topic(), ar.result().id(), request.key()));
      } else {
        out.send(TopicFrames.error(BusErrors.code(ar.cause()), BusErrors.message(ar.cause(), "sse", timeout),
            request.topic(), request.key()));
      }
      flowChanged.run();
    });
  }

  private PublishCreator creator() {
    return PublishCreator.of(access.grants(), address);
  }

  /** What is wrong with the fields of a publish but its topic and ref; null when nothing. */
  private static String problem(JsonObject message) {
    if (!message.containsKey("data")) {
      return "'publish' needs a field 'data'";
    }
    Object type = message.getValue("event");
    if (type != null && !(type instanceof String text && EventTypes.isValid(text))) {
      return "'event' must be a string of 1 to " + EventTypes.MAX_LENGTH + " characters without control characters";
    }
    if (EventTypes.isReserved((String) type)) {
      return "'event' may not be '" + type + "': the server sends events of that type";
    }
    Object store = message.getValue("store");
    if (store != null && !(store instanceof Boolean)) {
      return "'store' must be true or false";
    }
    return null;
  }

  private void refuse(ErrorCode code, String message, String topic, String ref) {
    out.send(TopicFrames.error(code, message, topic, ref));
  }
}
