package io.switchboard.gateway.auth;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * AuthConfig holds the gateway's access-control settings, read once from the environment.
 *
 * <p>Reading it reads the {@code AUTH_JWT_PUBLIC_KEY} file, so it runs at start-up, never on an
 * event loop. Its {@link #toString()} leaves out the secret and the API keys.
 *
 * @param mode {@code open} lets every request through; {@code jwt} requires a token or an API key
 *     ({@code AUTH_MODE})
 * @param jwtSecret the HS256 secret, or null ({@code AUTH_JWT_SECRET})
 * @param publicKey the RS256 or ES256 public key, or null ({@code AUTH_JWT_PUBLIC_KEY}, a PEM file)
 * @param jwksUrl where the issuer publishes its signing keys, or null ({@code AUTH_JWKS_URL})
 * @param issuer the {@code iss} every token must carry, or null for any ({@code AUTH_JWT_ISSUER})
 * @param audience the value a token's {@code aud} must contain, or null for any ({@code AUTH_JWT_AUDIENCE})
 * @param apiKeys keys a backend may send as {@code X-API-Key} ({@code AUTH_API_KEYS})
 * @param expiryWarning how long before a token expires its connection is warned
 *     ({@code AUTH_EXPIRY_WARNING_SECONDS})
 * @param maxTokenLifetime the longest lifetime of the tokens issued to users
 *     ({@code AUTH_MAX_TOKEN_LIFETIME_SECONDS}): a revocation is kept that long past its time
 */
public record AuthConfig(
    Mode mode,
    String jwtSecret,
    PemKey publicKey,
    URI jwksUrl,
    String issuer,
    String audience,
    List<String> apiKeys,
    Duration expiryWarning,
    Duration maxTokenLifetime) {

  /** Whether requests need credentials. */
  public enum Mode { OPEN, JWT }

  static final String SECRET_VARIABLE = "AUTH_JWT_SECRET";
  /** RFC 7518, section 3.2: an HS256 key at least as long as the hash. */
  static final int MIN_SECRET_BYTES = 32;

  public AuthConfig {
    apiKeys = List.copyOf(apiKeys);
  }

  public static AuthConfig from(Env env) {
    Mode mode = Mode.valueOf(env.string("AUTH_MODE", "open", "(?i)open|jwt", "open or jwt").toUpperCase());
    String publicKeyPath = env.raw(PemKey.VARIABLE);
    AuthConfig config = new AuthConfig(
        mode,
        secret(env),
        publicKeyPath == null ? null : PemKey.read(Path.of(publicKeyPath)),
        jwksUrl(env),
        env.raw("AUTH_JWT_ISSUER"),
        env.raw("AUTH_JWT_AUDIENCE"),
        env.list("AUTH_API_KEYS", List.of()),
        Duration.ofSeconds(env.integer("AUTH_EXPIRY_WARNING_SECONDS", 60, 0, 86_400)),
        Duration.ofSeconds(env.integer("AUTH_MAX_TOKEN_LIFETIME_SECONDS", 86_400, 60, 31_536_000)));
    if (mode == Mode.JWT && !config.verifiesTokens()) {
      throw new ConfigException("AUTH_MODE=jwt needs " + SECRET_VARIABLE + ", " + PemKey.VARIABLE
          + " or AUTH_JWKS_URL");
    }
    return config;
  }

  /** Open mode, for tests and for a gateway that does not check access. */
  public static AuthConfig open() {
    return from(new Env(Map.of()));
  }

  /**
   * The HS256 secret, or null when unset. The token CLI reads it the same way.
   *
   * @throws ConfigException naming {@code AUTH_JWT_SECRET}, without its value, when it is too short
   */
  public static String secret(Env env) {
    String secret = env.raw(SECRET_VARIABLE);
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new ConfigException(SECRET_VARIABLE + ": expected at least " + MIN_SECRET_BYTES
          + " bytes for HS256, got " + secret.getBytes(StandardCharsets.UTF_8).length);
    }
    return secret;
  }

  private static URI jwksUrl(Env env) {
    String value = env.raw("AUTH_JWKS_URL");
    if (value == null) {
      return null;
    }
    try {
      URI url = new URI(value);
      if (url.getHost() != null && ("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        return url;
      }
    } catch (URISyntaxException e) {
      // Reported below, as any other malformed value.
    }
    throw new ConfigException("AUTH_JWKS_URL", "an http:// or https:// URL", value);
  }

  /** Whether some key is configured that tokens can be verified with. */
  public boolean verifiesTokens() {
    return jwtSecret != null || publicKey != null || jwksUrl != null;
  }

  /** The JWKS URL without credentials, query or fragment, fit for a log line. */
  String jwksUrlForLogs() {
    return jwksUrl == null ? null
        : jwksUrl.getScheme() + "://" + jwksUrl.getHost()
            + (jwksUrl.getPort() < 0 ? "" : ":" + jwksUrl.getPort()) + jwksUrl.getRawPath();
  }

  /** How tokens are checked, naming no secret: for the start-up log line. */
  public String describe() {
    if (mode == Mode.OPEN) {
      return "open: every request is allowed"
          + (verifiesTokens() ? "; the token keys configured are not used unless AUTH_MODE=jwt" : "");
    }
    StringBuilder keys = new StringBuilder("jwt: tokens signed with");
    keys.append(jwtSecret == null ? "" : " the HS256 secret,");
    keys.append(publicKey == null ? "" : " an " + publicKey.algorithm() + " public key,");
    keys.append(jwksUrl == null ? "" : " the keys at " + jwksUrlForLogs() + ",");
    keys.setLength(keys.length() - 1);
    return keys.append("; ").append(apiKeys.size()).append(" API keys").toString();
  }

  @Override
  public String toString() {
    return "AuthConfig[mode=" + mode + ", jwtSecret=" + (jwtSecret == null ? "unset" : "set")
        + ", publicKey=" + (publicKey == null ? "unset" : publicKey.algorithm())
        + ", jwksUrl=" + jwksUrlForLogs() + ", issuer=" + issuer + ", audience=" + audience
        + ", apiKeys=" + apiKeys.size() + ", expiryWarning=" + expiryWarning + "]";
  }
}
