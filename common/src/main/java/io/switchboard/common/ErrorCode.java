package io.switchboard.common;

import io.switchboard.common.metrics.ErrorMetrics;
import io.vertx.core.json.JsonObject;

/**
 * ErrorCode is the documented set of errors a client can see.
 *
 * <p>Each code has a stable string id (the public contract, see docs/protocol.md), the HTTP status
 * used when it is returned over HTTP, and an int used with {@code Message.fail} on the event bus.
 */
public enum ErrorCode {
  // 1xxx: the request itself is wrong; retrying it unchanged will fail again.
  BAD_JSON("bad-json", 400, 1001),
  BAD_REQUEST("bad-request", 400, 1002),
  UNKNOWN_TYPE("unknown-type", 400, 1003),
  TOO_LARGE("too-large", 413, 1004),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, 1005),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, 1006),
  NOT_FOUND("not-found", 404, 1007),
  BAD_TOPIC("bad-topic", 400, 1030),
  // 2xxx: the request is valid but not allowed in the current state.
  NOT_JOINED("not-joined", 409, 2001),
  UNKNOWN_PEER("unknown-peer", 404, 2002),
  ROOM_FULL("room-full", 409, 2003),
  RATE_LIMITED("rate-limited", 429, 2004),
  TOPIC_LIMIT("topic-limit", 507, 2005),
  IDEMPOTENCY_CONFLICT("idempotency-conflict", 409, 2006),
  NOT_SUBSCRIBED("not-subscribed", 409, 2007),
  TOO_MANY_SUBSCRIPTIONS("too-many-subscriptions", 429, 2008),
  // 4xxx: who is asking, and from where: credentials, permissions, origins, connection limits.
  UNAUTHORIZED("unauthorized", 401, 4001),
  FORBIDDEN("forbidden", 403, 4002),
  BAD_ORIGIN("bad-origin", 403, 4003),
  TOO_MANY_CONNECTIONS("too-many-connections", 429, 4004),
  SERVER_FULL("server-full", 503, 4005),
  TOPIC_CREATION_LIMITED("topic-creation-limited", 429, 4006),
  // 3xxx: the server side is degraded; the same request may succeed later.
  SERVICE_UNAVAILABLE("service-unavailable", 503, 3001),
  TIMEOUT("timeout", 504, 3002),
  INTERNAL("internal", 500, 3003),
  NO_QUORUM("no-quorum", 503, 3004),
  PROTOCOL_MISMATCH("protocol-mismatch", 503, 3005);

  private final String id;
  private final int httpStatus;
  private final int busCode;

  ErrorCode(String id, int httpStatus, int busCode) {
    this.id = id;
    this.httpStatus = httpStatus;
    this.busCode = busCode;
  }

  public String id() {
    return id;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int busCode() {
    return busCode;
  }

  /**
   * The seconds a client should wait at least before it tries again, sent over HTTP as
   * {@code Retry-After}; 0 for a code that sends none: one not worth retrying unchanged, one whose
   * wait this side cannot know ({@code topic-creation-limited} refills at the sse-service's rate),
   * and {@code timeout} and {@code internal}, which are retried with the client's own backoff.
   */
  public int retryAfterSeconds() {
    return switch (this) {
      case TOO_MANY_CONNECTIONS, SERVER_FULL, SERVICE_UNAVAILABLE, NO_QUORUM, PROTOCOL_MISMATCH -> 1;
      default -> 0;
    };
  }

  /** The error as it appears in HTTP bodies: {@code {"code":..., "message":...}}. */
  public JsonObject toJson(String message) {
    ErrorMetrics.count(this);
    return new JsonObject().put("code", id).put("message", message);
  }

  /** The error as a WebSocket frame: {@code {"type":"error","code":..., "message":...}}. */
  public JsonObject toFrame(String message) {
    ErrorMetrics.count(this);
    return new JsonObject().put("type", "error").put("code", id).put("message", message);
  }

  /** Maps an event-bus failure code back to its ErrorCode, or {@link #INTERNAL} when unknown. */
  public static ErrorCode fromBusCode(int busCode) {
    for (ErrorCode code : values()) {
      if (code.busCode == busCode) {
        return code;
      }
    }
    return INTERNAL;
  }
}
