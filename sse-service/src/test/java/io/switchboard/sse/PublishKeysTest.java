package io.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The stored form of idempotency keys: scopes and keys never combine into another's. */
class PublishKeysTest {

  @Test
  void aKeyWithoutScopeKeepsTheFormItHadBeforeScopes() {
    assertEquals("k:abc", PublishKeys.client(null, "abc"));
  }

  @Test
  void aScopeEndingLikeAKeyCannotSpellAnotherScopesKey() {
    assertNotEquals(PublishKeys.client("user:a", "b:c"), PublishKeys.client("user:a:b", "c"));
    assertNotEquals(PublishKeys.client("api", "x"), PublishKeys.client(null, "x"));
  }
}
