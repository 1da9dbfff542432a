package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.await;
import static io.switchboard.gateway.auth.TestKeys.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.switchboard.gateway.auth.PresentedCredentials.Type;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading credentials from headers and parameters, and checking API keys. */
class CredentialsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void aBearerHeaderCarriesAToken() {
    assertEquals(new PresentedCredentials(Type.BEARER, "abc.def.ghi"),
        PresentedCredentials.of("Bearer abc.def.ghi", null, null));
    assertEquals(new PresentedCredentials(Type.BEARER, "abc.def.ghi"),
        PresentedCredentials.of("bearer  abc.def.ghi", null, null));
  }

  @Test
  void theTokenParameterAndTheApiKeyHeaderAreReadToo() {
    assertEquals(new PresentedCredentials(Type.BEARER, "t.o.k"), PresentedCredentials.of(null, null, "t.o.k"));
    assertEquals(new PresentedCredentials(Type.API_KEY, "key"), PresentedCredentials.of(null, "key", null));
    assertEquals(Type.NONE, PresentedCredentials.of(null, null, null).type());
  }

  @Test
  void otherSchemesEmptyValuesAndTwoCredentialsAreMalformed() {
    for (PresentedCredentials credentials : List.of(
        PresentedCredentials.of("Basic dXNlcjpwdw==", null, null),
        PresentedCredentials.of("Bearer ", null, null),
        PresentedCredentials.of("Bearer a b", null, null),
        PresentedCredentials.of(null, " ", null),
        PresentedCredentials.of(null, null, ""),
        PresentedCredentials.of("Bearer a.b.c", "key", null))) {
      assertEquals(Type.MALFORMED, credentials.type(), credentials.toString());
    }
  }

  @Test
  void theCredentialNeverShowsInToString() {
    assertFalse(PresentedCredentials.of("Bearer secret.token.x", null, null).toString().contains("secret"));
    assertFalse(PresentedCredentials.of(null, "secret-key", null).toString().contains("secret"));
  }

  @Test
  void apiKeysMatchExactly() {
    ApiKeys keys = new ApiKeys(List.of("first-key", "second-key"));
    assertTrue(keys.matches("first-key"));
    assertTrue(keys.matches("second-key"));
    assertFalse(keys.matches("first-ke"));
    assertFalse(keys.matches("first-key "));
    assertFalse(keys.matches(""));
    assertFalse(new ApiKeys(List.of()).matches("first-key"));
  }

  @Test
  void aConfiguredApiKeyGrantsTheBackendsRightsAndAnotherIsRefused() {
    Authenticator authenticator = await(Authenticator.create(vertx, AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", TestKeys.SECRET, "AUTH_API_KEYS", "k-one, k-two")))));
    assertEquals(Grants.apiKey(), await(authenticator.authenticate(PresentedCredentials.of(null, "k-two", null))));
    AuthFailure failure = refusal(authenticator.authenticate(PresentedCredentials.of(null, "k-three", null)));
    assertEquals(AuthFailure.Reason.INVALID, failure.reason());
  }
}
