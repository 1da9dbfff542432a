package io.switchboard.gateway.transport;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.service.FatalErrors;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;

/** BusErrors maps event-bus failures to the error codes clients see. */
public final class BusErrors {

  private BusErrors() {
  }

  public static ErrorCode code(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return ErrorCode.SERVICE_UNAVAILABLE;
        case TIMEOUT:
          return ErrorCode.TIMEOUT;
        default:
          return ErrorCode.fromBusCode(reply.failureCode());
      }
    }
    // Not an answer of the service but a failure on this side, which may be this process out of memory.
    FatalErrors.haltOnOutOfMemory(failure);
    return ErrorCode.INTERNAL;
  }

  /** A human message for a failed request to {@code service}. */
  public static String message(Throwable failure, String service, Duration timeout) {
    switch (code(failure)) {
      case SERVICE_UNAVAILABLE:
        return "No " + service + " service instance is available";
      case TIMEOUT:
        return "No " + service + " service instance answered within " + timeout.toMillis() + " ms";
      default:
        return failure.getMessage() == null ? "Internal error" : failure.getMessage();
    }
  }
}
