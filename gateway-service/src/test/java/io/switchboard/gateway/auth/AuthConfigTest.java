package io.switchboard.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTH_* variables: defaults, and start-up errors that name the variable. */
class AuthConfigTest {

  @TempDir
  Path dir;

  @Test
  void openModeIsTheDefault() {
    AuthConfig config = AuthConfig.from(new Env(Map.of()));
    assertEquals(AuthConfig.Mode.OPEN, config.mode());
    assertEquals(Duration.ofSeconds(60), config.expiryWarning());
    assertEquals(List.of(), config.apiKeys());
    assertFalse(config.verifiesTokens());
  }

  @Test
  void jwtModeWithoutAnyKeyNamesTheVariablesThatWouldDo() {
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_API_KEYS", "k1"))));
    assertEquals("AUTH_MODE=jwt needs AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL", e.getMessage());
  }

  @Test
  void anUnknownModeIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AuthConfig.from(new Env(Map.of("AUTH_MODE", "oauth"))));
    assertTrue(e.getMessage().startsWith("AUTH_MODE"), e.getMessage());
  }

  @Test
  void aShortSecretIsRefusedWithoutShowingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", "hunter2"))));
    assertTrue(e.getMessage().startsWith("AUTH_JWT_SECRET"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void anUnreadablePublicKeyFileNamesTheVariable() {
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWT_PUBLIC_KEY", dir.resolve("missing.pem").toString()))));
    assertTrue(e.getMessage().startsWith("AUTH_JWT_PUBLIC_KEY"), e.getMessage());
  }

  @Test
  void aFileWithoutAKeyNamesTheVariable() throws Exception {
    Path file = Files.writeString(dir.resolve("key.pem"), "not a key\n");
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWT_PUBLIC_KEY", file.toString()))));
    assertTrue(e.getMessage().startsWith("AUTH_JWT_PUBLIC_KEY"), e.getMessage());
  }

  @Test
  void theAlgorithmFollowsTheKeyType() throws Exception {
    Path rsa = Files.writeString(dir.resolve("rsa.pem"), TestKeys.publicPem(TestKeys.rsa()));
    Path ec = Files.writeString(dir.resolve("ec.pem"),
        "comment before the block\r\n" + TestKeys.publicPem(TestKeys.ec("secp256r1")).replace("\n", "\r\n"));
    assertEquals("RS256", PemKey.read(rsa).algorithm());
    assertEquals("ES256", PemKey.read(ec).algorithm());
    assertTrue(PemKey.read(ec).pem().startsWith("-----BEGIN PUBLIC KEY-----\n"));
  }

  @Test
  void anEcKeyOnAnotherCurveIsRefused() throws Exception {
    Path p384 = Files.writeString(dir.resolve("p384.pem"), TestKeys.publicPem(TestKeys.ec("secp384r1")));
    ConfigException e = assertThrows(ConfigException.class, () -> PemKey.read(p384));
    assertTrue(e.getMessage().contains("P-256"), e.getMessage());
  }

  @Test
  void theJwksUrlMustBeHttp() {
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWKS_URL", "file:///etc/keys.json"))));
    assertTrue(e.getMessage().startsWith("AUTH_JWKS_URL"), e.getMessage());
  }

  @Test
  void theExpiryWarningIsChecked() {
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.from(new Env(Map.of(
        "AUTH_EXPIRY_WARNING_SECONDS", "-1"))));
    assertTrue(e.getMessage().startsWith("AUTH_EXPIRY_WARNING_SECONDS"), e.getMessage());
  }

  @Test
  void theDescriptionAndToStringShowNoSecret() {
    AuthConfig config = AuthConfig.from(new Env(Map.of("AUTH_MODE", "jwt",
        "AUTH_JWT_SECRET", TestKeys.SECRET, "AUTH_API_KEYS", "key-one,key-two",
        "AUTH_JWKS_URL", "https://user:pw@idp.example.org/keys?x=1", "AUTH_JWT_ISSUER", "https://idp")));
    for (String text : List.of(config.toString(), config.describe())) {
      assertFalse(text.contains(TestKeys.SECRET), text);
      assertFalse(text.contains("key-one"), text);
      assertFalse(text.contains("pw"), text);
    }
    assertEquals("jwt: tokens signed with the HS256 secret, the keys at https://idp.example.org/keys; "
        + "2 API keys", config.describe());
    assertNull(config.publicKey());
  }
}
