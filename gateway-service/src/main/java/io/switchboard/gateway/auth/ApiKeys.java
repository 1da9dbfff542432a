package io.switchboard.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * ApiKeys recognises the keys of {@code AUTH_API_KEYS} in constant time.
 *
 * <p>Keys are compared as SHA-256 digests, which have the same length whatever the key, with
 * {@link MessageDigest#isEqual}, and every key is compared: how long a check takes says nothing
 * about how much of a key was right, nor which key matched.
 */
final class ApiKeys {

  private final List<byte[]> digests;

  ApiKeys(List<String> keys) {
    this.digests = keys.stream().map(ApiKeys::sha256).toList();
  }

  boolean matches(String presented) {
    byte[] digest = sha256(presented);
    boolean matched = false;
    for (byte[] key : digests) {
      matched |= MessageDigest.isEqual(key, digest);
    }
    return matched;
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
