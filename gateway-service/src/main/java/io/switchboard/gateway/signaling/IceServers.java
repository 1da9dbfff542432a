package io.switchboard.gateway.signaling;

import io.switchboard.gateway.node.SignalingConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * IceServers builds the {@code iceServers} list sent to each peer in {@code welcome}, with
 * short-lived TURN credentials when a shared secret is configured.
 *
 * <p>TURN servers relay traffic at their operator's cost, so their credentials go only to
 * authenticated peers: every peer with {@code AUTH_MODE=jwt}, none in open mode, where peers get
 * the STUN servers alone.
 *
 * <p>The credentials follow the TURN REST API scheme that coturn implements with
 * {@code use-auth-secret}: username {@code <expiry unix seconds>:<peerId>}, credential
 * base64(HMAC-SHA1(secret, username)). The TURN server checks them with the same secret, so the
 * gateway and the TURN server never talk to each other.
 */
public final class IceServers {

  private static final String HMAC = "HmacSHA1";

  private final SignalingConfig config;
  private final Clock clock;

  public IceServers(SignalingConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * The ICE servers of {@code peerId}: the STUN servers, and the TURN servers with their
   * credentials when {@code authenticated}; a TURN server is useless to a browser without them.
   */
  public JsonArray forPeer(String peerId, boolean authenticated) {
    JsonArray servers = new JsonArray();
    if (!config.stunUrls().isEmpty()) {
      servers.add(new JsonObject().put("urls", new JsonArray(config.stunUrls())));
    }
    if (authenticated && !config.turnUrls().isEmpty()) {
      JsonObject turn = new JsonObject().put("urls", new JsonArray(config.turnUrls()));
      if (config.turnSecret() != null) {
        long expiry = clock.instant().plus(config.turnTtl()).getEpochSecond();
        String username = expiry + ":" + peerId;
        turn.put("username", username).put("credential", credential(config.turnSecret(), username));
      } else {
        turn.put("username", config.turnUsername()).put("credential", config.turnCredential());
      }
      servers.add(turn);
    }
    return servers;
  }

  /** base64(HMAC-SHA1(secret, username)). */
  public static String credential(String secret, String username) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // Every Java runtime ships HmacSHA1.
      throw new IllegalStateException(e);
    }
  }
}
