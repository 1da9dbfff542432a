package io.switchboard.gateway.node;

/**
 * Endpoint is the kind of a client connection, as metrics count them apart: the WebSocket paths
 * and SSE streams. The names are label values, so there are only these.
 */
public enum Endpoint {
  ECHO("echo"),
  SIGNALING("signaling"),
  TOPICS("topics"),
  SSE("sse"),
  OTHER("other");

  private final String label;

  Endpoint(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The endpoint of a WebSocket upgraded at {@code path}. */
  public static Endpoint ofWebSocketPath(String path) {
    if (path == null) {
      return OTHER;
    }
    return switch (path) {
      case "/ws/echo" -> ECHO;
      case "/ws/signaling" -> SIGNALING;
      case "/ws/topics" -> TOPICS;
      default -> OTHER;
    };
  }
}
