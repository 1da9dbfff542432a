package io.switchboard.gateway.auth;

import java.util.function.Supplier;

/**
 * PublishCreator is who publishes, as far as creating topics goes: sse-service limits the topics
 * one creator may create per minute, unless the publisher is exempt.
 *
 * @param id an opaque name of the creator: a user, or in open mode, where nobody is known, the
 *     client's address; null when unknown, and then not limited
 * @param rateExempt true for a publisher never limited in the topics it creates: a backend with an
 *     API key
 */
public record PublishCreator(String id, boolean rateExempt) {

  /** Who creates a request's topics, by its grants; {@code address} gives the client's address. */
  public static PublishCreator of(Grants grants, Supplier<String> address) {
    return switch (grants.kind()) {
      case USER -> new PublishCreator("user:" + grants.sub(), false);
      case API_KEY -> new PublishCreator(null, true);
      case OPEN -> new PublishCreator(address.get(), false);
    };
  }

  /**
   * Whose idempotency keys a publisher uses: a user's own, the API keys' shared one, or in open
   * mode, where nobody is known, the one of every client.
   */
  public static String keyScope(Grants grants) {
    return switch (grants.kind()) {
      case USER -> "user:" + grants.sub();
      case API_KEY -> "api";
      case OPEN -> null;
    };
  }
}
