package io.switchboard.gateway.sse;

import io.switchboard.gateway.auth.Grants;
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
  static PublishCreator of(Grants grants, Supplier<String> address) {
    return switch (grants.kind()) {
      case USER -> new PublishCreator("user:" + grants.sub(), false);
      case API_KEY -> new PublishCreator(null, true);
      case OPEN -> new PublishCreator(address.get(), false);
    };
  }
}
