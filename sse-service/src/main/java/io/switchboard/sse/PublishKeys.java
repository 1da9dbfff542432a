package io.switchboard.sse;

import java.util.UUID;

/**
 * PublishKeys makes the idempotency keys a topic's log remembers. A client's key and one made for
 * a publish without a key live in separate namespaces, so a client can never hit a made one; so
 * do the keys of each publisher the gateway names (its scope), so that two publishers choosing the
 * same key never meet.
 */
final class PublishKeys {

  private PublishKeys() {
  }

  /**
   * The stored form of a client's key in {@code scope}, or in the shared scope when it is null.
   * The scope's length comes first, so no scope and key can spell another's.
   */
  static String client(String scope, String key) {
    return scope == null ? "k:" + key : "s:" + scope.length() + ":" + scope + ":" + key;
  }

  /** A fresh key for a publish without one: Hazelcast's own retry of it still stores it once. */
  static String generated() {
    return "g:" + UUID.randomUUID();
  }
}
