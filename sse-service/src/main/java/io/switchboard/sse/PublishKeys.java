package io.switchboard.sse;

import java.util.UUID;

/**
 * PublishKeys makes the idempotency keys a topic's log remembers. A client's key and one made for
 * a publish without a key live in separate namespaces, so a client can never hit a made one.
 */
final class PublishKeys {

  private PublishKeys() {
  }

  /** The stored form of a client's key (already scoped by the gateway as needed). */
  static String client(String key) {
    return "k:" + key;
  }

  /** A fresh key for a publish without one: Hazelcast's own retry of it still stores it once. */
  static String generated() {
    return "g:" + UUID.randomUUID();
  }
}
