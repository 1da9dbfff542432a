package io.switchboard.gateway.auth;

import java.util.Objects;

/**
 * Grants is what an authenticated request may do: which topics it may stream and publish to, which
 * signaling rooms it may join, and whether it may use the operator endpoints.
 *
 * <p>Three kinds exist. A {@link Kind#USER} token names its subject and expiry and grants exactly
 * its claims. An {@link Kind#API_KEY} is a backend's: it may publish to any topic and use every
 * {@code /api/*} endpoint, but neither streams nor joins rooms, and names no user. {@link Kind#OPEN}
 * is {@code AUTH_MODE=open}: everything is allowed and there is no user.
 *
 * <p>Admin rights cover the operator endpoints ({@code /api/rooms}, {@code /api/cluster}) and every
 * topic's history; they do not widen what a user may stream, publish or join.
 *
 * @param kind where the grants come from
 * @param sub the user's subject ({@code sub} claim), or null when there is no user
 * @param exp when the token expires, in epoch seconds ({@code exp} claim), or null when the grants
 *     do not expire
 * @param subscribe topics the user may stream and read the history of ({@code subscribe} claim)
 * @param publish topics the user may publish to ({@code publish} claim)
 * @param rooms signaling rooms the user may join ({@code rooms} claim)
 * @param admin whether the user may use the operator endpoints ({@code admin} claim)
 * @param iat when the token was issued, in epoch seconds ({@code iat} claim), or null when it does
 *     not say or there is no token; an operator's revocation refuses tokens issued before a time
 */
public record Grants(Kind kind, String sub, Long exp, Patterns subscribe, Patterns publish,
    Patterns rooms, boolean admin, Long iat) {

  /** Where a request's grants come from. */
  public enum Kind {
    /** {@code AUTH_MODE=open}: no credentials are needed and everything is allowed. */
    OPEN,
    /** A verified token naming a user. */
    USER,
    /** One of {@code AUTH_API_KEYS}. */
    API_KEY
  }

  private static final Grants OPEN_GRANTS =
      new Grants(Kind.OPEN, null, null, Patterns.all(), Patterns.all(), Patterns.all(), true, null);
  private static final Grants API_KEY_GRANTS =
      new Grants(Kind.API_KEY, null, null, Patterns.none(), Patterns.all(), Patterns.none(), true, null);

  public Grants {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(subscribe);
    Objects.requireNonNull(publish);
    Objects.requireNonNull(rooms);
    if (kind == Kind.USER && (sub == null || sub.isBlank() || exp == null)) {
      throw new IllegalArgumentException("A user's grants need a subject and an expiry");
    }
  }

  public static Grants open() {
    return OPEN_GRANTS;
  }

  public static Grants apiKey() {
    return API_KEY_GRANTS;
  }

  public static Grants user(String sub, long exp, Patterns subscribe, Patterns publish,
      Patterns rooms, boolean admin) {
    return user(sub, exp, subscribe, publish, rooms, admin, null);
  }

  /** A user's grants from a token issued at {@code iat} (epoch seconds; null when it does not say). */
  public static Grants user(String sub, long exp, Patterns subscribe, Patterns publish,
      Patterns rooms, boolean admin, Long iat) {
    return new Grants(Kind.USER, sub, exp, subscribe, publish, rooms, admin, iat);
  }

  /**
   * Whether these are a user's grants from a token issued before {@code before} (epoch seconds);
   * a token that does not say when it was issued counts as issued before.
   */
  public boolean issuedBefore(long before) {
    return kind == Kind.USER && (iat == null || iat < before);
  }

  /** Whether the request may open a live stream of the topic ({@code /sse/{topic}}). */
  public boolean mayStream(String topic) {
    return subscribe.allows(topic);
  }

  /** Whether the request may publish to the topic. */
  public boolean mayPublish(String topic) {
    return publish.allows(topic);
  }

  /** Whether the request may join the signaling room. */
  public boolean mayJoin(String room) {
    return rooms.allows(room);
  }

  /** Whether the request may read the topic's history: a subscriber, an admin or an API key. */
  public boolean mayReadHistory(String topic) {
    return admin || subscribe.allows(topic);
  }

  /** Whether the request may use the operator endpoints, {@code /api/rooms} and {@code /api/cluster}. */
  public boolean isAdmin() {
    return admin;
  }

  /** Whether the grants end at {@link #exp()}; only a user's do. */
  public boolean expires() {
    return exp != null;
  }
}
