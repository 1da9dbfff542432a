package io.switchboard.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/** Keys, PEM files and signed tokens made on the spot, so no test depends on a fixture file. */
final class TestKeys {

  static final String SECRET = "a-test-secret-that-is-32-bytes-long!";

  private TestKeys() {
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  static String publicPem(KeyPair keys) {
    return pem("PUBLIC KEY", keys.getPublic().getEncoded());
  }

  static String privatePem(KeyPair keys) {
    return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  private static String pem(String kind, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + kind + "-----\n" + body + "\n-----END " + kind + "-----\n";
  }

  /** The public half as a JWK, as an issuer's JWKS endpoint lists it. */
  static JsonObject jwk(KeyPair keys, String kid) {
    if (keys.getPublic() instanceof RSAPublicKey rsa) {
      return new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig").put("kid", kid)
          .put("n", base64Url(rsa.getModulus())).put("e", base64Url(rsa.getPublicExponent()));
    }
    ECPublicKey ec = (ECPublicKey) keys.getPublic();
    return new JsonObject().put("kty", "EC").put("alg", "ES256").put("use", "sig").put("kid", kid)
        .put("crv", "P-256").put("x", base64Url(ec.getW().getAffineX()))
        .put("y", base64Url(ec.getW().getAffineY()));
  }

  private static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Signs the claims with the private key, naming {@code kid} in the header when not null. */
  static String sign(Vertx vertx, String algorithm, String privatePem, String kid, JsonObject claims) {
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(privatePem).setId(kid);
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key))
        .generateToken(claims, new JWTOptions().setAlgorithm(algorithm));
  }

  static String hs256(Vertx vertx, String secret, JsonObject claims) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)))
        .generateToken(claims, new JWTOptions());
  }

  /** Claims for {@code sub} expiring {@code ttl} from now. */
  static JsonObject claims(String sub, Duration ttl) {
    return new JsonObject().put("sub", sub)
        .put("exp", System.currentTimeMillis() / 1000 + ttl.toSeconds());
  }

  static <T> T await(Future<T> future) {
    return TestCluster.await(future, Duration.ofSeconds(20));
  }

  /** The failure the future ends with, which must be an AuthFailure. */
  static AuthFailure refusal(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return assertInstanceOf(AuthFailure.class, e.getCause());
    } catch (Exception e) {
      throw new AssertionError("The future did not complete: " + e, e);
    }
    throw new AssertionError("The credentials were accepted");
  }

  static PresentedCredentials bearer(String token) {
    return PresentedCredentials.of("Bearer " + token, null, null);
  }
}
