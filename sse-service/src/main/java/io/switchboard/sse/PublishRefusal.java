package io.switchboard.sse;

import io.switchboard.common.ErrorCode;

/**
 * PublishRefusal is a publish that sse-service refuses for a reason the client can act on: the
 * event is too large, its idempotency key stored another event, or the topic is new and may not be
 * created now. It carries the code the client sees.
 */
final class PublishRefusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  PublishRefusal(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
