package io.switchboard.gateway.signaling;

import java.security.SecureRandom;
import java.util.Base64;

/** PeerIds makes unguessable peer ids: 144 random bits from a CSPRNG, URL-safe base64. */
public final class PeerIds {

  private static final int BYTES = 18;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PeerIds() {
  }

  public static String next() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
