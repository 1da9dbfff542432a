package io.switchboard.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;

/** How one attempt of a {@link RetryingPublisher}'s publish reaches a gateway. */
interface PublishTransport {

  /** What the transport is, for reports: {@code HTTP} or {@code WebSocket}. */
  String name();

  /**
   * Publishes {@code data} to {@code topic} under the idempotency key {@code key} through the
   * gateway at {@code port}, and returns the acknowledged id.
   *
   * @throws RetryableAnswer when the gateway answered with a refusal worth retrying (a 503, a 504)
   * @throws IOException when the answer was lost: the same key is safe to send again
   */
  String attempt(int port, String topic, String key, JsonObject data)
      throws RetryableAnswer, IOException, InterruptedException;

  /** An answer that says the publish may succeed if sent again with the same key. */
  final class RetryableAnswer extends Exception {
    RetryableAnswer(String answer) {
      super(answer, null, false, false);
    }
  }
}
