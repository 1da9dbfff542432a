package io.switchboard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorCodeRetryAfterTest {

  private static final Set<ErrorCode> RETRY_AFTER = EnumSet.of(ErrorCode.TOO_MANY_CONNECTIONS,
      ErrorCode.SERVER_FULL, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.NO_QUORUM,
      ErrorCode.PROTOCOL_MISMATCH);

  @Test
  void theRetryableRefusalsSayToRetryAfterOneSecondAndNoOtherCodeDoes() {
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(RETRY_AFTER.contains(code) ? 1 : 0, code.retryAfterSeconds(), code.id());
    }
  }
}
