package io.switchboard.gateway.sse;

import io.switchboard.common.service.FatalErrors;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.EventTypes;
import io.switchboard.gateway.node.ClosedConnections;
import io.switchboard.gateway.topic.HistoryLoss;
import io.switchboard.gateway.topic.StreamSink;
import io.switchboard.gateway.topic.TopicFeed;
import io.switchboard.gateway.topic.TopicStream;
import io.switchboard.gateway.transport.SlowConsumers;
import io.switchboard.gateway.transport.SseReconnect;
import io.switchboard.gateway.transport.SseWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * SseStream is one client's open event stream on one topic: the HTTP side of a {@link TopicStream},
 * which decides what to send, written here as {@code text/event-stream}.
 *
 * <p>Used from the event loop of its hub only.
 */
final class SseStream implements StreamSink<LiveEvent> {

  static final String HISTORY_LOST = EventTypes.HISTORY_LOST;

  private final String topic;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final TopicStream<LiveEvent> stream;
  private StreamChannel channel;
  /** Dropped because a write failed, not because its client fell behind. */
  private boolean failed;
  /** What ended the stream, as {@link ClosedConnections} counts it; the client, until the server does. */
  private String endReason = ClosedConnections.CLIENT;

  SseStream(HttpServerRequest request, HttpServerResponse response, TopicStream<LiveEvent> stream) {
    this.topic = stream.topic();
    this.request = request;
    this.response = response;
    this.stream = stream;
  }

  /**
   * Starts streaming from {@code feed}: live only when {@code lastEventId} is null, otherwise
   * every retained event after it first. {@code onEnd} runs once, whatever ends the stream.
   */
  void start(TopicFeed<LiveEvent> feed, String lastEventId, Runnable onEnd) {
    response.closeHandler(v -> stream.end());
    response.exceptionHandler(err -> {
      FatalErrors.haltOnOutOfMemory(err);
      stream.end();
    });
    channel = StreamChannel.of(request, response, request.connection(), stream::writable);
    stream.start(feed, this, lastEventId, onEnd);
  }

  boolean ended() {
    return stream.ended();
  }

  void heartbeat() {
    if (!stream.ended() && response.headWritten() && !channel.full()) {
      channel.heartbeat();
    }
  }

  /** Ends the stream gracefully; the client reconnects by itself. */
  Future<Void> end() {
    return stream.end();
  }

  /**
   * Ends the stream because the gateway is going away: a {@code reconnect} event, then the end
   * (see {@link SseReconnect}). The event has no id, so the client resumes after the last event
   * it received, on another gateway.
   */
  Future<Void> reconnect() {
    return endWith(ClosedConnections.RECONNECT, SseReconnect.shutdown());
  }

  /**
   * Tells the client that the token the stream was opened with expired at {@code exp} (epoch
   * seconds), with a {@code token-expired} event, and ends the stream. The event has no id, so
   * the client resumes after the last event it received.
   */
  Future<Void> expire(long exp) {
    return endWith(ClosedConnections.TOKEN_EXPIRED,
        SseWriter.event(null, EventTypes.TOKEN_EXPIRED, new JsonObject().put("exp", exp).encode()));
  }

  /**
   * Ends the stream because an operator disconnected its user: a {@code reconnect} event, then the
   * end, as on shutdown. A client that reconnects with a revoked token is refused.
   */
  Future<Void> disconnect() {
    return endWith(ClosedConnections.DISCONNECTED, SseReconnect.disconnected());
  }

  /** What ended the stream: one of {@link ClosedConnections}' reasons. */
  String endReason() {
    return endReason;
  }

  /** Writes {@code last} after everything written so far, then ends the stream, for {@code reason}. */
  private Future<Void> endWith(String reason, Buffer last) {
    if (stream.ended() || response.closed()) {
      return stream.end();
    }
    endReason = reason;
    if (!response.headWritten()) {
      // Still waiting for the topic's position: the stream opens only to say why it ends.
      SseWriter.open(response);
    }
    response.write(last);
    return stream.end();
  }

  /** Ends the stream by closing its connection, for a stream that failed under a write. */
  void drop() {
    failed = true;
    endReason = ClosedConnections.ERROR;
    stream.drop();
  }

  @Override
  public void opened() {
    SseWriter.open(response);
    response.write(SseWriter.comment("stream " + topic));
  }

  /** An id with no data: EventSource keeps it, to resume from, without dispatching an event. */
  @Override
  public void positioned(EventId position) {
    response.write(SseWriter.position(position.toString()));
  }

  /** A 200 that ends at once makes EventSource retry; an error status would stop it for good. */
  @Override
  public void unavailable() {
    if (!response.headWritten()) {
      SseWriter.open(response);
    }
    response.write(SseWriter.comment("error service-unavailable"));
  }

  @Override
  public boolean full() {
    return channel.full();
  }

  @Override
  public void write(LiveEvent event) {
    channel.write(event);
  }

  @Override
  public void lost(EventId resumeFrom, String lastEventId, String reason) {
    HistoryLoss.sent(reason);
    response.write(SseWriter.event(resumeFrom.toString(), HISTORY_LOST, new JsonObject()
        .put("topic", topic)
        .put("lastEventId", lastEventId)
        .put("reason", reason)
        .encode()));
  }

  @Override
  public Future<Void> close() {
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    if (!response.headWritten()) {
      SseWriter.open(response);
    }
    return response.end();
  }

  @Override
  public void reset() {
    if (!failed) {
      // Not a failed write: the stream's queue filled, its client does not keep up.
      SlowConsumers.cut(SlowConsumers.SSE);
      endReason = ClosedConnections.SLOW_CONSUMER;
    }
    response.reset();
  }

  @Override
  public void release() {
    if (channel != null) {
      channel.release();
    }
  }
}
