package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.common.CloseCode;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.SocketLimits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignalingSession is one {@code /ws/signaling} connection: it validates and rate-limits what the
 * client sends, has its {@link RoomMembership} join and leave rooms through the
 * {@link RoomDirectory}, and sends its relays and broadcasts through the {@link PeerRouter} to the
 * gateway nodes of their recipients. What is delivered to it comes in through {@link #onPresence},
 * {@link #onPeerDelivery} and {@link #onNodeLost}.
 */
final class SignalingSession {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);

  private final ServerWebSocket ws;
  private final String peerId;
  private final SignalingConfig config;
  private final PeerRouter router;
  private final IceServers iceServers;
  private final RateMeter frames;
  private final RateLimiter limiter;
  private final Runnable onClose;
  private final SessionSocket out;
  private final RoomMembership membership;

  /** Runs on the event loop of its connection, where {@code router} serves it. */
  SignalingSession(ServerWebSocket ws, SignalingConfig config, RoomDirectory rooms, PeerRouter router,
      IceServers iceServers, RateMeter frames, Runnable onClose) {
    this.ws = ws;
    this.peerId = PeerIds.next();
    this.config = config;
    this.router = router;
    this.iceServers = iceServers;
    this.frames = frames;
    this.onClose = onClose;
    this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), config.floodLimit(),
        config.floodWindow().toNanos(), System.nanoTime());
    this.out = new SessionSocket(ws, peerId, config.maxQueuedFrames(), this::onClosed);
    this.membership = new RoomMembership(this, config, rooms, router, out);
  }

  String peerId() {
    return peerId;
  }

  void start() {
    if (ws.isClosed()) {
      // Closed by its client already: Vert.x would refuse the handlers, and no close handler runs.
      onClose.run();
      return;
    }
    router.attach(this);
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.exceptionHandler(this::onFailure);
    ws.closeHandler(v -> onClosed());
    out.write(new JsonObject().put("type", "welcome").put("id", peerId)
        .put("iceServers", iceServers.forPeer(peerId)));
    LOG.debug("Signaling connection {} opened", peerId);
  }

  // ---- from the client

  private void onText(String text) {
    if (out.closed() || !admit()) {
      return;
    }
    frames.mark();
    if (ClientFrames.tooLarge(text, config.maxMessageBytes())) {
      out.error(ErrorCode.TOO_LARGE, "Messages are limited to " + config.maxMessageBytes() + " bytes");
      out.close(CloseCode.MESSAGE_TOO_BIG.code(), "message too big");
      return;
    }
    Object decoded;
    try {
      decoded = StrictJson.decode(text);
    } catch (java.io.IOException e) {
      out.error(ErrorCode.BAD_JSON, "The message is not valid JSON (comments and repeated keys are not allowed)");
      return;
    }
    if (!(decoded instanceof JsonObject message)) {
      out.error(ErrorCode.BAD_REQUEST, "A message must be a JSON object");
    } else if (!(message.getValue("type") instanceof String type)) {
      out.error(ErrorCode.BAD_REQUEST, "A message needs a string field 'type'");
    } else {
      dispatch(type, text, message);
    }
  }

  private void dispatch(String type, String text, JsonObject message) {
    switch (type) {
      case "join" -> onJoin(message);
      case "leave" -> membership.requestLeave();
      case "sdp", "ice-candidate" -> onRelay(type, text, message);
      case "broadcast" -> onBroadcast(message);
      default -> out.error(ErrorCode.UNKNOWN_TYPE, "Unknown message type '" + ClientFrames.truncate(type) + "'");
    }
  }

  private void onBinary(Buffer bytes) {
    if (out.closed() || !admit()) {
      return;
    }
    out.error(ErrorCode.BAD_REQUEST, "Signaling messages are JSON text frames, not binary");
  }

  private void onFailure(Throwable err) {
    if (SocketLimits.isOversize(err)) {
      out.error(ErrorCode.TOO_LARGE, "The message is over the gateway's WebSocket size limit");
      out.close(CloseCode.MESSAGE_TOO_BIG.code(), "message too big");
    } else if (SocketLimits.isInvalidText(err)) {
      out.close(CloseCode.INVALID_PAYLOAD.code(), "text message is not valid UTF-8");
    } else if (SocketLimits.isProtocolViolation(err)) {
      out.close(CloseCode.PROTOCOL_ERROR.code(), "protocol error");
    } else {
      LOG.debug("Signaling connection {} failed: {}", peerId, err.toString());
    }
  }

  /** Takes a token; false when the message must be dropped. */
  private boolean admit() {
    switch (limiter.take(System.nanoTime())) {
      case ACCEPT:
        return true;
      case REFUSE:
        out.error(ErrorCode.RATE_LIMITED, "Too many messages: at most " + config.ratePerSecond()
            + " per second, bursts of " + config.rateBurst());
        return false;
      default:
        LOG.info("Closing signaling connection {}: flooding", peerId);
        out.error(ErrorCode.RATE_LIMITED, "Too many messages; closing the connection");
        out.close(CloseCode.POLICY_VIOLATION.code(), "rate limit exceeded");
        return false;
    }
  }

  private void onJoin(JsonObject message) {
    String room = ClientFrames.room(message);
    if (room == null) {
      out.error(ErrorCode.BAD_REQUEST, SignalingProtocol.ROOM_FIELD_RULE);
      return;
    }
    membership.requestJoin(room);
  }

  private void onRelay(String type, String text, JsonObject message) {
    if (!(message.getValue("target") instanceof String target) || target.isEmpty()) {
      out.error(ErrorCode.BAD_REQUEST, "'" + type + "' needs a string field 'target' with a peer id");
      return;
    }
    RoomPresence presence = membership.presence();
    if (presence == null) {
      out.error(ErrorCode.NOT_JOINED, "Join a room before sending '" + type + "'");
      return;
    }
    String targetNode = presence.nodeOf(target);
    if (targetNode == null) {
      out.error(ErrorCode.UNKNOWN_PEER, "No peer '" + ClientFrames.truncate(target) + "' in room " + presence.room());
      return;
    }
    router.send(targetNode, PeerDelivery.relay(presence.room(), target,
        ClientFrames.withSender(text, message, peerId)));
  }

  private void onBroadcast(JsonObject message) {
    if (!message.containsKey("data")) {
      out.error(ErrorCode.BAD_REQUEST, "'broadcast' needs a field 'data'");
      return;
    }
    RoomPresence presence = membership.presence();
    if (presence == null) {
      out.error(ErrorCode.NOT_JOINED, "Join a room before sending 'broadcast'");
      return;
    }
    String frame = new JsonObject().put("type", "broadcast").put("room", presence.room())
        .put("from", peerId).put("data", message.getValue("data")).encode();
    PeerDelivery delivery = PeerDelivery.broadcast(presence.room(), peerId, frame);
    Set<String> nodes = new LinkedHashSet<>(presence.members().values());
    for (String target : nodes) {
      router.send(target, delivery);
    }
  }

  // ---- to the client

  /** A presence event of this connection's room, from signaling-service. */
  void onPresence(PresenceEvent presence) {
    membership.deliver(presence.room(), presence);
  }

  /** A relay to this connection, or a broadcast in its room. */
  void onPeerDelivery(PeerDelivery delivery) {
    membership.deliver(delivery.room(), delivery);
  }

  /** A gateway node left the cluster: its peers in this connection's room are gone. */
  void onNodeLost(String lostNode) {
    membership.nodeLost(lostNode);
  }

  private void onClosed() {
    if (!out.markClosed()) {
      return;
    }
    membership.close();
    router.detach(this);
    onClose.run();
    LOG.debug("Signaling connection {} closed", peerId);
  }
}
