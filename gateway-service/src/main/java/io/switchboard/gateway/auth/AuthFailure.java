package io.switchboard.gateway.auth;

/**
 * AuthFailure is why a request was not authenticated; an {@link Authenticator}'s future fails
 * with it.
 *
 * <p>Its message is written for the client and never contains the credentials.
 */
public final class AuthFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of failure, each with the HTTP status and error code a client gets. */
  public enum Reason {
    /** The request carries no credentials. */
    MISSING(401, "unauthorized"),
    /** The credentials are malformed, unknown, wrongly signed, expired or lack a required claim. */
    INVALID(401, "unauthorized"),
    /** No signing keys could be loaded yet, so no token can be checked; the client may retry. */
    UNAVAILABLE(503, "service-unavailable");

    private final int httpStatus;
    private final String code;

    Reason(int httpStatus, String code) {
      this.httpStatus = httpStatus;
      this.code = code;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The error code of docs/protocol.md. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public AuthFailure(Reason reason, String message) {
    // Failures are routine and their cause is in the message: no stack trace to fill in.
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static AuthFailure invalid(String message) {
    return new AuthFailure(Reason.INVALID, message);
  }
}
