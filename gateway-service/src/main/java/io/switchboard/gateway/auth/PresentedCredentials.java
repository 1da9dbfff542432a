package io.switchboard.gateway.auth;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * PresentedCredentials is what a request offers to prove who sent it: a bearer token from the
 * {@code Authorization} header or the {@code token} query parameter, or an {@code X-API-Key}.
 *
 * <p>A request may offer one credential; more than one, or one that cannot be parsed, is
 * {@link Type#MALFORMED}. Its {@link #toString()} never shows the credential.
 *
 * @param type what was offered
 * @param value the token or key; for {@link Type#MALFORMED}, what is wrong; null for {@link Type#NONE}
 */
public record PresentedCredentials(Type type, String value) {

  /** What a request offers. */
  public enum Type { NONE, BEARER, API_KEY, MALFORMED }

  public static final String API_KEY_HEADER = "X-API-Key";
  public static final String TOKEN_PARAM = "token";

  private static final PresentedCredentials NONE = new PresentedCredentials(Type.NONE, null);
  private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/=-]+) *");

  public PresentedCredentials {
    Objects.requireNonNull(type);
  }

  /**
   * Reads a request's credentials.
   *
   * @param queryTokenAllowed whether the {@code token} query parameter may carry the token: only
   *     where the client cannot set a header, see {@link #queryTokenAllowed(HttpServerRequest)}
   */
  public static PresentedCredentials from(HttpServerRequest request, boolean queryTokenAllowed) {
    List<String> authorization = request.headers().getAll(HttpHeaders.AUTHORIZATION);
    List<String> apiKey = request.headers().getAll(API_KEY_HEADER);
    List<String> query;
    try {
      query = request.params().getAll(TOKEN_PARAM);
    } catch (IllegalArgumentException e) {
      return malformed("The query string is malformed");
    }
    if (authorization.size() > 1 || apiKey.size() > 1 || query.size() > 1) {
      return malformed("Send each credential once");
    }
    if (!query.isEmpty() && !queryTokenAllowed) {
      return malformed("The token query parameter is only accepted when opening a WebSocket or an "
          + "event stream; send an Authorization header");
    }
    return of(first(authorization), first(apiKey), first(query));
  }

  /** Reads the credentials from the header and parameter values, each null when absent. */
  public static PresentedCredentials of(String authorization, String apiKey, String queryToken) {
    int offered = (authorization == null ? 0 : 1) + (apiKey == null ? 0 : 1) + (queryToken == null ? 0 : 1);
    if (offered == 0) {
      return NONE;
    }
    if (offered > 1) {
      return malformed("Send one credential: a bearer token, a token parameter or an API key");
    }
    if (authorization != null) {
      var bearer = BEARER.matcher(authorization);
      return bearer.matches() ? new PresentedCredentials(Type.BEARER, bearer.group(1))
          : malformed("The Authorization header must be 'Bearer <token>'");
    }
    if (apiKey != null) {
      return apiKey.isBlank() ? malformed("The " + API_KEY_HEADER + " header is empty")
          : new PresentedCredentials(Type.API_KEY, apiKey.trim());
    }
    return queryToken.isBlank() ? malformed("The token parameter is empty")
        : new PresentedCredentials(Type.BEARER, queryToken.trim());
  }

  /**
   * Whether the request may carry its token as a query parameter: a GET, or the HEAD that answers
   * as it would, that opens a WebSocket ({@code /ws/*}) or an event stream ({@code Accept:
   * text/event-stream}), since browsers cannot set headers on either. The stream paths that take
   * it without that header are {@link PublicRoutes#takesQueryToken}'s.
   */
  public static boolean queryTokenAllowed(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      return false;
    }
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    return request.path().startsWith("/ws/")
        || (accept != null && accept.contains("text/event-stream"));
  }

  private static PresentedCredentials malformed(String problem) {
    return new PresentedCredentials(Type.MALFORMED, problem);
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }

  @Override
  public String toString() {
    return "PresentedCredentials[" + type + (type == Type.MALFORMED ? ": " + value : "") + "]";
  }
}
