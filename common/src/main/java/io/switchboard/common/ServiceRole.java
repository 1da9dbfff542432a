package io.switchboard.common;

/** ServiceRole names the capabilities a node can host; a standalone node hosts all of them. */
public enum ServiceRole {
  GATEWAY("gateway"),
  ECHO("echo"),
  SSE("sse"),
  SIGNALING("signaling");

  private final String id;

  ServiceRole(String id) {
    this.id = id;
  }

  /** The lowercase id used in addresses, logs and JSON. */
  public String id() {
    return id;
  }

  /** The roles behind the gateway that must be live for the gateway to be ready. */
  public static ServiceRole[] backends() {
    return new ServiceRole[] {ECHO, SSE, SIGNALING};
  }
}
