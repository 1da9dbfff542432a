package io.switchboard.gateway.signaling;

/**
 * PeerRouter carries frames between peers wherever they are connected: a delivery goes to the
 * gateway node of its recipients, whose signaling hands it to the sessions it is for. The router
 * keeps the table of its sessions, by peer and by the room each is in or joining, that deliveries
 * arriving for them are looked up in. The clustered router is {@link SignalingLoop}.
 */
interface PeerRouter {

  /** Makes {@code session} reachable under its peer id. */
  void attach(SignalingSession session);

  /** Forgets {@code session} and every room it was in. */
  void detach(SignalingSession session);

  /** {@code session} is joining or in {@code room}: deliveries in that room reach it from now on. */
  void enter(String room, SignalingSession session);

  void exit(String room, SignalingSession session);

  /** Delivers to the peers on gateway node {@code node} that {@code delivery} is for. */
  void send(String node, PeerDelivery delivery);

  /** Runs {@code task} on the sessions' loop in {@code delayMillis}; returns the timer's id. */
  long setTimer(long delayMillis, Runnable task);

  void cancelTimer(long id);
}
