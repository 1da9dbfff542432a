package io.switchboard.common;

/**
 * CloseCode is the set of WebSocket close statuses the gateway sends, a documented contract (see
 * docs/protocol.md). A client reconnects after {@link #GOING_AWAY}; the others tell it to change
 * what it sends first.
 */
public enum CloseCode {
  /** The connection failed under an error none of the others names, such as a network error. */
  NORMAL(1000),
  /** The gateway is shutting down; reconnect, to another gateway. */
  GOING_AWAY(1001),
  /** A frame broke the WebSocket framing. */
  PROTOCOL_ERROR(1002),
  /** A text frame was not valid UTF-8. */
  INVALID_PAYLOAD(1007),
  /** The client broke a rule: it sent too fast, or did not read what it was sent. */
  POLICY_VIOLATION(1008),
  /** A message was over the size limit. */
  MESSAGE_TOO_BIG(1009),
  /** The connection's token expired without a refresh; reconnect with a fresh token. */
  TOKEN_EXPIRED(4001),
  /**
   * An operator disconnected the connection's user, or revoked its token; a client may reconnect
   * once it has a token the gateway accepts.
   */
  DISCONNECTED(4003);

  private final short code;

  CloseCode(int code) {
    this.code = (short) code;
  }

  /** The status as sent in the close frame. */
  public short code() {
    return code;
  }
}
