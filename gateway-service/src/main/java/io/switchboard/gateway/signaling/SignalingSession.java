package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.gateway.transport.SocketWrites;
import io.switchboard.gateway.ws.BusErrors;
import io.switchboard.gateway.ws.SocketLimits;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignalingSession is one {@code /ws/signaling} connection: it validates and rate-limits what the
 * client sends, runs its joins and leaves one at a time through signaling-service, routes its relays
 * and broadcasts straight to the gateway nodes of their recipients, and writes what is delivered to it.
 */
final class SignalingSession {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);

  static final short CLOSE_POLICY = 1008;
  /** Deliveries held while a join is in flight, by kind. */
  private static final int MAX_HELD_PRESENCE = 1024;
  private static final int MAX_HELD_MESSAGES = 64;

  private final ServerWebSocket ws;
  private final String peerId;
  private final SignalingConfig config;
  private final SignalingLoop loop;
  private final RateLimiter limiter;
  private final Runnable onClose;
  private final ArrayDeque<Supplier<Future<?>>> control = new ArrayDeque<>();
  private boolean controlBusy;
  private RoomPresence presence;
  private String joining;
  /** Presence events ({@link JsonObject}) and peer deliveries ({@link PeerDelivery}), in order. */
  private List<Object> held;
  private int heldMessages;
  private int framesWhileFull;
  private boolean closed;

  /** {@code loop} is the signaling of the connection's event loop, where the session runs. */
  SignalingSession(ServerWebSocket ws, SignalingConfig config, SignalingLoop loop, Runnable onClose) {
    this.ws = ws;
    this.peerId = PeerIds.next();
    this.config = config;
    this.loop = loop;
    this.onClose = onClose;
    this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), config.floodLimit(),
        config.floodWindow().toNanos(), System.nanoTime());
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
    loop.peers().add(this);
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.exceptionHandler(this::onFailure);
    ws.closeHandler(v -> onClosed());
    write(new JsonObject().put("type", "welcome").put("id", peerId)
        .put("iceServers", loop.iceServers().forPeer(peerId)));
    LOG.debug("Signaling connection {} opened", peerId);
  }

  // ---- from the client

  private void onText(String text) {
    if (closed || !admit()) {
      return;
    }
    loop.frames().mark();
    if (tooLarge(text)) {
      error(ErrorCode.TOO_LARGE, "Messages are limited to " + config.maxMessageBytes() + " bytes");
      close(SocketLimits.MESSAGE_TOO_BIG, "message too big");
      return;
    }
    Object decoded;
    try {
      decoded = StrictJson.decode(text);
    } catch (java.io.IOException e) {
      error(ErrorCode.BAD_JSON, "The message is not valid JSON (comments and repeated keys are not allowed)");
      return;
    }
    if (!(decoded instanceof JsonObject message)) {
      error(ErrorCode.BAD_REQUEST, "A message must be a JSON object");
      return;
    }
    if (!(message.getValue("type") instanceof String type)) {
      error(ErrorCode.BAD_REQUEST, "A message needs a string field 'type'");
      return;
    }
    switch (type) {
      case "join":
        onJoin(message);
        break;
      case "leave":
        enqueue(this::leave);
        break;
      case "sdp":
      case "ice-candidate":
        onRelay(type, text, message);
        break;
      case "broadcast":
        onBroadcast(message);
        break;
      default:
        error(ErrorCode.UNKNOWN_TYPE, "Unknown message type '" + truncate(type) + "'");
        break;
    }
  }

  private void onBinary(Buffer bytes) {
    if (closed || !admit()) {
      return;
    }
    error(ErrorCode.BAD_REQUEST, "Signaling messages are JSON text frames, not binary");
  }

  private void onFailure(Throwable err) {
    if (SocketLimits.isOversize(err)) {
      error(ErrorCode.TOO_LARGE, "The message is over the gateway's WebSocket size limit");
      close(SocketLimits.MESSAGE_TOO_BIG, "message too big");
    } else if (SocketLimits.isProtocolViolation(err)) {
      close(SocketLimits.PROTOCOL_ERROR, "protocol error");
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
        error(ErrorCode.RATE_LIMITED, "Too many messages: at most " + config.ratePerSecond()
            + " per second, bursts of " + config.rateBurst());
        return false;
      default:
        LOG.info("Closing signaling connection {}: flooding", peerId);
        error(ErrorCode.RATE_LIMITED, "Too many messages; closing the connection");
        close(CLOSE_POLICY, "rate limit exceeded");
        return false;
    }
  }

  /**
   * The client's frame with {@code "from"} set to this peer, whatever the client put there: a peer
   * cannot pose as another. The usual frame has no {@code from} and is extended as text, so it is
   * relayed byte for byte as the client wrote it, without being encoded again.
   */
  private String withSender(String text, JsonObject message) {
    if (message.containsKey("from")) {
      return message.put("from", peerId).encode();
    }
    // Strict JSON with nothing after the value: the text ends with the object's closing brace,
    // perhaps followed by whitespace.
    int end = text.lastIndexOf('}');
    int last = end - 1;
    while (last >= 0 && Character.isWhitespace(text.charAt(last))) {
      last--;
    }
    String separator = text.charAt(last) == '{' ? "" : ",";
    // Peer ids are URL-safe Base64: nothing in them needs escaping.
    return text.substring(0, end) + separator + "\"from\":\"" + peerId + "\"}";
  }

  private boolean tooLarge(String text) {
    int max = config.maxMessageBytes();
    if (text.length() > max) {
      return true;
    }
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit: only count when it could matter.
    return (long) text.length() * 3 > max && text.getBytes(StandardCharsets.UTF_8).length > max;
  }

  private void onJoin(JsonObject message) {
    Object roomValue = message.getValue("room");
    String room = roomValue == null ? SignalingProtocol.DEFAULT_ROOM
        : roomValue instanceof String name ? name : null;
    if (!SignalingProtocol.validRoom(room)) {
      error(ErrorCode.BAD_REQUEST, "'room' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
      return;
    }
    enqueue(() -> join(room));
  }

  private void onRelay(String type, String text, JsonObject message) {
    if (!(message.getValue("target") instanceof String target) || target.isEmpty()) {
      error(ErrorCode.BAD_REQUEST, "'" + type + "' needs a string field 'target' with a peer id");
      return;
    }
    if (presence == null) {
      error(ErrorCode.NOT_JOINED, "Join a room before sending '" + type + "'");
      return;
    }
    String targetNode = presence.nodeOf(target);
    if (targetNode == null) {
      error(ErrorCode.UNKNOWN_PEER, "No peer '" + truncate(target) + "' in room " + presence.room());
      return;
    }
    loop.send(targetNode, PeerDelivery.relay(presence.room(), target, withSender(text, message)));
  }

  private void onBroadcast(JsonObject message) {
    if (!message.containsKey("data")) {
      error(ErrorCode.BAD_REQUEST, "'broadcast' needs a field 'data'");
      return;
    }
    if (presence == null) {
      error(ErrorCode.NOT_JOINED, "Join a room before sending 'broadcast'");
      return;
    }
    String frame = new JsonObject().put("type", "broadcast").put("room", presence.room())
        .put("from", peerId).put("data", message.getValue("data")).encode();
    PeerDelivery delivery = PeerDelivery.broadcast(presence.room(), peerId, frame);
    Set<String> nodes = new LinkedHashSet<>(presence.members().values());
    for (String target : nodes) {
      loop.send(target, delivery);
    }
  }

  // ---- joins and leaves, one at a time

  private void enqueue(Supplier<Future<?>> op) {
    if (control.size() >= config.maxQueuedRequests()) {
      error(ErrorCode.RATE_LIMITED, "Too many joins and leaves in flight");
      return;
    }
    control.add(op);
    runControl();
  }

  private void runControl() {
    if (controlBusy || control.isEmpty() || closed) {
      return;
    }
    controlBusy = true;
    control.poll().get().onComplete(done -> {
      controlBusy = false;
      runControl();
    });
  }

  private Future<?> join(String room) {
    if (presence != null && presence.room().equals(room)) {
      writeJoined();
      return Future.succeededFuture();
    }
    String leaving = presence == null ? null : presence.room();
    joining = room;
    held = new ArrayList<>();
    heldMessages = 0;
    loop.peers().enter(room, this);
    return loop.control().join(room, peerId, leaving)
        .onSuccess(reply -> joined(room, reply))
        .onFailure(err -> joinFailed(room, err));
  }

  private void joined(String room, JsonObject reply) {
    List<Object> pending = held;
    joining = null;
    held = null;
    if (closed) {
      // The connection closed while the join was in flight: undo it.
      loop.control().leaveEventually(room, peerId);
      return;
    }
    if (reply.getString("left") != null && presence != null) {
      exitRoom();
    }
    Map<String, String> members = new LinkedHashMap<>();
    reply.getJsonObject("members", new JsonObject())
        .forEach(entry -> members.put(entry.getKey(), String.valueOf(entry.getValue())));
    presence = new RoomPresence(room, peerId, reply.getLong("version", 0L), members);
    // The snapshot may predate the eviction of a lost node's peers; they are gone already.
    for (String lost : loop.lostNodes()) {
      presence.nodeLost(lost);
    }
    writeJoined();
    for (Object delivery : pending) {
      apply(delivery);
    }
  }

  private void joinFailed(String room, Throwable err) {
    joining = null;
    held = null;
    if (presence == null || !presence.room().equals(room)) {
      loop.peers().exit(room, this);
    }
    ErrorCode code = BusErrors.code(err);
    if (code == ErrorCode.TIMEOUT) {
      // The join may still land after the timeout: make sure it does not leave a ghost member.
      loop.control().leaveEventually(room, peerId);
    }
    if (!closed) {
      error(code, BusErrors.message(err, "signaling", config.requestTimeout()));
    }
  }

  private Future<?> leave() {
    if (presence == null) {
      error(ErrorCode.NOT_JOINED, "Not in a room");
      return Future.succeededFuture();
    }
    String room = presence.room();
    return loop.control().leave(room, peerId)
        .onSuccess(reply -> {
          if (presence != null && presence.room().equals(room)) {
            exitRoom();
          }
        })
        .onFailure(err -> error(BusErrors.code(err),
            BusErrors.message(err, "signaling", config.requestTimeout())));
  }

  private void exitRoom() {
    String room = presence.room();
    presence = null;
    loop.peers().exit(room, this);
    write(new JsonObject().put("type", "left").put("room", room));
  }

  private void writeJoined() {
    write(new JsonObject().put("type", "joined").put("room", presence.room()).put("id", peerId)
        .put("peers", new JsonArray(presence.peers())));
  }

  // ---- to the client

  /** A presence event of this connection's room, from signaling-service. */
  void onPresence(JsonObject delivery) {
    route(delivery.getString("room"), delivery);
  }

  /** A relay to this connection, or a broadcast in its room. */
  void onPeerDelivery(PeerDelivery delivery) {
    route(delivery.room(), delivery);
  }

  private void route(String room, Object delivery) {
    if (closed) {
      return;
    }
    if (room.equals(joining)) {
      hold(delivery);
    } else if (presence != null && presence.room().equals(room)) {
      apply(delivery);
    }
  }

  /** A gateway node left the cluster: its peers in this connection's room are gone. */
  void onNodeLost(String lostNode) {
    if (closed || presence == null) {
      return;
    }
    String room = presence.room();
    for (String peer : presence.nodeLost(lostNode)) {
      write(new JsonObject().put("type", "peer-left").put("room", room).put("data", peer));
    }
  }

  private void hold(Object delivery) {
    boolean isPresence = delivery instanceof JsonObject;
    if (isPresence ? held.size() - heldMessages < MAX_HELD_PRESENCE : heldMessages < MAX_HELD_MESSAGES) {
      held.add(delivery);
      heldMessages += isPresence ? 0 : 1;
    }
  }

  private void apply(Object delivery) {
    if (closed) {
      // A write of the same batch found the socket closed.
      return;
    }
    if (delivery instanceof JsonObject event) {
      applyPresence(event);
    } else if (delivery instanceof PeerDelivery frame) {
      // The sender of a broadcast is in the room too; it does not get its own frame back.
      if (!frame.broadcast() || !peerId.equals(frame.peer())) {
        writeText(frame.frame());
      }
    }
  }

  private void applyPresence(JsonObject delivery) {
    // A write that finds the socket closed drops the field: the rest of the event goes nowhere.
    RoomPresence view = presence;
    String room = view.room();
    long version = delivery.getLong("version", 0L);
    delivery.getJsonObject("joined", new JsonObject()).forEach(entry -> {
      String peerNode = String.valueOf(entry.getValue());
      // A join on a gateway that is gone already can arrive after its loss; its eviction follows.
      if (!loop.isLost(peerNode) && view.joined(entry.getKey(), peerNode, version)) {
        write(new JsonObject().put("type", "peer-joined").put("room", room)
            .put("data", entry.getKey()));
      }
    });
    for (Object peer : delivery.getJsonArray("left", new JsonArray())) {
      if (view.left(String.valueOf(peer), version)) {
        write(new JsonObject().put("type", "peer-left").put("room", room).put("data", peer));
      }
    }
  }

  private void error(ErrorCode code, String message) {
    // Errors are advice: a client that does not read them gets no more of them.
    if (!closed && !SocketWrites.full(ws)) {
      send(code.toFrame(message).encode());
    }
  }

  private void write(JsonObject frame) {
    writeText(frame.encode());
  }

  private void writeText(String frame) {
    if (closed) {
      return;
    }
    if (SocketWrites.full(ws)) {
      // A client that stops reading must not grow this node's memory without bound.
      if (++framesWhileFull > config.maxQueuedFrames()) {
        LOG.info("Closing signaling connection {}: it does not read its messages", peerId);
        close(CLOSE_POLICY, "not reading");
        return;
      }
    } else {
      framesWhileFull = 0;
    }
    send(frame);
  }

  private void send(String frame) {
    if (!SocketWrites.text(ws, frame)) {
      // Closed under this session, before its close handler ran: it is gone all the same.
      LOG.debug("Signaling connection {} closed before its close handler ran", peerId);
      onClosed();
    }
  }

  private void close(short code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code, reason);
    }
    onClosed();
  }

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    control.clear();
    loop.peers().remove(this);
    if (presence != null) {
      loop.control().leaveEventually(presence.room(), peerId);
      presence = null;
    }
    onClose.run();
    LOG.debug("Signaling connection {} closed", peerId);
  }

  private static String truncate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
