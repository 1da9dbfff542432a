package io.switchboard.gateway.topicsocket;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.gateway.topic.HistoryLoss;
import io.switchboard.gateway.topic.StreamSink;
import io.switchboard.gateway.topic.TopicFeed;
import io.switchboard.gateway.topic.TopicStream;
import io.switchboard.gateway.presence.Present;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * SocketSubscription is one topic subscribed on a {@code /ws/topics} connection: the WebSocket side
 * of a {@link TopicStream}, which decides what to send, written here as frames on the connection
 * that all its subscriptions share.
 *
 * <p>It remembers the id of the last event it sent, so that a subscription whose feed ends (the
 * topic's history was replaced by a merge, or could not be read) starts again from there. A
 * subscription opened with {@code history} rather than {@code since} asked for recent events, not
 * for continuity, and is told of no loss before them. Used from its connection's event loop only.
 */
final class SocketSubscription implements StreamSink<SocketEvent> {

  private final String topic;
  private final TopicSocket socket;
  private final boolean reportLoss;
  private final boolean announce;
  private TopicStream<SocketEvent> stream;
  private TopicFeed<SocketEvent> feed;
  private EventId last;
  private boolean opened;
  /** Who is present, as this subscriber was told; null without presence. */
  private SubscriberPresence presence;
  /** Live events only: the subscription starts at the topic's position when it opens. */
  private boolean live;
  private boolean unsubscribed;
  /** The client was told {@code service-unavailable}: the subscription is over, not started again. */
  private boolean refused;
  /** Runs once the subscription opens: the others are told of this connection's join then. */
  private Runnable onOpen;

  /**
   * {@code reportLoss}: whether a loss of history before the first event is the client's concern;
   * {@code announce}: whether the client is told {@code subscribed} when it opens, which a
   * subscription that starts again by itself is not.
   */
  SocketSubscription(String topic, TopicSocket socket, boolean reportLoss, boolean announce) {
    this.topic = topic;
    this.socket = socket;
    this.reportLoss = reportLoss;
    this.announce = announce;
  }

  String topic() {
    return topic;
  }

  /**
   * Attaches the stream this subscription writes for, and the feed it runs on; the stream sends
   * what follows {@code since}, or live events only when it is null.
   */
  void attach(TopicStream<SocketEvent> stream, TopicFeed<SocketEvent> feed, String since) {
    this.stream = stream;
    this.feed = feed;
    this.last = since == null ? null : EventId.parse(since).orElse(null);
    this.live = since == null;
  }

  /** The id of the last event written, or where the subscription started; null when none. */
  EventId last() {
    return last;
  }

  /**
   * Gives the subscription presence: {@code subscribed} lists {@code everyone} present, and the
   * joins and leaves of connections other than {@code connectionId} follow.
   */
  void presence(String connectionId, List<Present> everyone) {
    this.presence = SubscriberPresence.of(topic, connectionId, everyone);
  }

  /**
   * Runs {@code action} when the subscription opens: a subscription refused before it opens (no
   * sse-service answers) is never announced as a join.
   */
  void whenOpened(Runnable action) {
    if (opened) {
      action.run();
    } else {
      onOpen = action;
    }
  }

  /** Carries the presence of the subscription this one starts again after. */
  void presenceOf(SocketSubscription before) {
    this.presence = before.presence == null ? null : before.presence.continued();
  }

  boolean withPresence() {
    return presence != null;
  }

  /**
   * A join or leave of the topic: written when it changes who this subscriber knows to be present,
   * held until the subscription opened.
   */
  void presenceEvent(JsonObject event) {
    if (presence != null && !unsubscribed) {
      presence.event(event, opened, socket);
    }
  }

  /**
   * Brings who this subscriber knows to be present up to {@code everyone}, as the directory was
   * read again: a leave for each it knows of that is not in {@code listed}, the ids of any read,
   * then a join for each of {@code everyone} that it does not know of.
   */
  void presentAgain(List<Present> everyone, Set<String> listed) {
    if (presence != null && opened && !unsubscribed) {
      presence.again(everyone, listed, socket);
    }
  }

  /** Whether the stream opened: the topic's position was known. */
  boolean hasOpened() {
    return opened;
  }

  /** Whether the client was told the topic cannot be served now, and subscribes again itself. */
  boolean refused() {
    return refused;
  }

  /** Whether the client ended the subscription, or the connection is gone. */
  boolean unsubscribed() {
    return unsubscribed;
  }

  /** The connection can take more. */
  void writable() {
    if (stream != null && !stream.ended()) {
      stream.writable();
    }
  }

  /**
   * Writes an ephemeral event, at most once: not before the subscription opened, and not while
   * the connection is not keeping up, when it is dropped.
   */
  void ephemeral(String frame) {
    if (opened && !unsubscribed && !socket.full()) {
      socket.text(frame);
    }
  }

  /** Ends the subscription for good: no further event of the topic is written. */
  Future<Void> unsubscribe() {
    unsubscribed = true;
    return stream == null ? Future.succeededFuture() : stream.end();
  }

  @Override
  public void opened() {
    opened = true;
    EventId position = feed.position();
    if (live) {
      last = position;
    }
    if (announce) {
      JsonObject subscribed = TopicFrames.subscribed(topic, position);
      if (presence != null && presence.atOpen() != null) {
        subscribed.put("present", PresenceEvents.present(presence.atOpen()));
      }
      socket.send(subscribed);
    }
    if (presence != null && !unsubscribed) {
      presence.opened(socket);
    }
    if (onOpen != null) {
      Runnable action = onOpen;
      onOpen = null;
      action.run();
    }
  }

  @Override
  public void unavailable() {
    refused = true;
    socket.send(TopicFrames.error(ErrorCode.SERVICE_UNAVAILABLE,
        "The topic's history cannot be read now; subscribe again later", topic, null));
  }

  @Override
  public boolean full() {
    return socket.full();
  }

  @Override
  public void write(SocketEvent event) {
    last = event.id();
    socket.event(event);
  }

  @Override
  public void lost(EventId resumeFrom, String lastEventId, String reason) {
    last = resumeFrom;
    if (reportLoss) {
      HistoryLoss.sent(reason);
      socket.send(TopicFrames.historyLost(topic, lastEventId, reason));
    }
  }

  /** Told whether or not losses are its concern: the events the client has seen are gone. */
  @Override
  public void deleted(String lastEventId) {
    last = EventId.START;
    HistoryLoss.sent(HistoryPage.UNKNOWN);
    socket.send(TopicFrames.historyLost(topic, lastEventId, HistoryPage.UNKNOWN));
  }

  /** The stream ended: nothing to write, the connection lives on. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** The subscription let its queue fill: the whole connection is closed, as not reading. */
  @Override
  public void reset() {
    socket.notReading();
  }

  @Override
  public void release() {
    // The connection is shared with the other subscriptions.
  }
}
