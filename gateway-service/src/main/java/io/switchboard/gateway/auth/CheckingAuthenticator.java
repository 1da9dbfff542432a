package io.switchboard.gateway.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.NoSuchKeyIdException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CheckingAuthenticator is {@code AUTH_MODE=jwt}: a request needs a token that one of the
 * configured keys verifies, or one of the API keys.
 */
final class CheckingAuthenticator implements Authenticator {

  private static final Logger LOG = LoggerFactory.getLogger(CheckingAuthenticator.class);

  private final List<TokenVerifier> verifiers;
  private final ClaimRules rules;
  private final ApiKeys apiKeys;
  private final Revocations revocations;

  CheckingAuthenticator(List<TokenVerifier> verifiers, ClaimRules rules, ApiKeys apiKeys) {
    this(verifiers, rules, apiKeys, new Revocations());
  }

  CheckingAuthenticator(List<TokenVerifier> verifiers, ClaimRules rules, ApiKeys apiKeys, Revocations revocations) {
    this.verifiers = List.copyOf(verifiers);
    this.rules = rules;
    this.apiKeys = apiKeys;
    this.revocations = revocations;
  }

  static Future<Authenticator> create(Vertx vertx, AuthConfig config, Revocations revocations) {
    List<TokenVerifier> verifiers = new ArrayList<>();
    if (config.jwtSecret() != null || config.publicKey() != null) {
      verifiers.add(StaticKeyVerifier.create(vertx, config.jwtSecret(), config.publicKey()));
    }
    Future<JwksVerifier> jwks = config.jwksUrl() == null ? Future.succeededFuture()
        : JwksVerifier.start(vertx, config.jwksUrl(), config.jwksUrlForLogs(),
            JwksVerifier.MIN_RELOAD_INTERVAL);
    return jwks.map(verifier -> {
      if (verifier != null) {
        verifiers.add(verifier);
      }
      LOG.info("Access control {}", config.describe());
      return new CheckingAuthenticator(verifiers, new ClaimRules(config.issuer(), config.audience()),
          new ApiKeys(config.apiKeys()), revocations);
    });
  }

  @Override
  public Future<Grants> authenticate(PresentedCredentials credentials) {
    return switch (credentials.type()) {
      case NONE -> Future.failedFuture(new AuthFailure(AuthFailure.Reason.MISSING,
          "Credentials are required: an Authorization: Bearer token or an X-API-Key"));
      case MALFORMED -> Future.failedFuture(AuthFailure.invalid(credentials.value()));
      case API_KEY -> apiKeys.matches(credentials.value()) ? Future.succeededFuture(Grants.apiKey())
          : Future.failedFuture(AuthFailure.invalid("The API key is not valid"));
      case BEARER -> onCallerContext(Vertx.currentContext(), verifyToken(credentials.value()));
    };
  }

  private Future<Grants> verifyToken(String token) {
    return verify(token, 0)
        .recover(failure -> Future.failedFuture(refusal(failure)))
        .map(claims -> rules.grants(claims, System.currentTimeMillis() / 1000))
        .compose(grants -> revocations.revoked(grants)
            ? Future.failedFuture(AuthFailure.invalid("The token was revoked: get a new one"))
            : Future.succeededFuture(grants));
  }

  /** Tries each verifier in turn; the first that verifies the signature wins. */
  private Future<JsonObject> verify(String token, int index) {
    Future<JsonObject> verified = verifiers.get(index).verify(token);
    return index == verifiers.size() - 1 ? verified
        : verified.recover(failure -> verify(token, index + 1));
  }

  /** The failure a client is told of; the library's own message is for the debug log only. */
  private static AuthFailure refusal(Throwable failure) {
    if (failure instanceof AuthFailure refused) {
      return refused;
    }
    // Only the exception's type is logged: some parsers quote the input in their messages.
    LOG.debug("Token refused: {}", failure.getClass().getSimpleName());
    return AuthFailure.invalid(failure instanceof NoSuchKeyIdException
        ? "The token is signed with an unknown key" : "The token is not valid");
  }

  /**
   * A future completing on {@code caller}: a token waiting for keys completes on whichever event
   * loop loaded them, and the caller's handlers must run on its own.
   */
  private static <T> Future<T> onCallerContext(Context caller, Future<T> result) {
    if (caller == null || result.isComplete()) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(outcome -> caller.runOnContext(v -> promise.handle(outcome)));
    return promise.future();
  }

  @Override
  public void close() {
    verifiers.forEach(TokenVerifier::close);
  }
}
