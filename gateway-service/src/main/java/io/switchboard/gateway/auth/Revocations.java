package io.switchboard.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revocations is what this gateway node knows of the users whose tokens an operator revoked: for
 * each, the time before which their tokens were issued ({@code iat}) and until when that holds
 * (the time plus {@code AUTH_MAX_TOKEN_LIFETIME_SECONDS}, when every such token has expired). The
 * {@link RevocationStore} shares them with the other nodes. Any thread may use it.
 */
public final class Revocations {

  /** One user's revocation: tokens issued before {@code before} (epoch seconds) are refused until {@code untilMillis}. */
  public record Revocation(long before, long untilMillis) {
  }

  private final Map<String, Revocation> bySub = new ConcurrentHashMap<>();

  /** Refuses {@code sub}'s tokens issued before {@code before}; a later time replaces an earlier one. */
  public void revoke(String sub, Revocation revocation) {
    bySub.merge(sub, revocation, (known, given) -> given.before() >= known.before() ? given : known);
  }

  /** Whether {@code grants} come from a token that is revoked now. */
  public boolean revoked(Grants grants) {
    if (grants.kind() != Grants.Kind.USER) {
      return false;
    }
    Revocation revocation = bySub.get(grants.sub());
    if (revocation == null) {
      return false;
    }
    if (System.currentTimeMillis() >= revocation.untilMillis()) {
      bySub.remove(grants.sub(), revocation);
      return false;
    }
    return grants.issuedBefore(revocation.before());
  }

  /** Forgets the revocations whose time is over; the store calls it now and then. */
  public void sweep() {
    long now = System.currentTimeMillis();
    bySub.values().removeIf(revocation -> now >= revocation.untilMillis());
  }

  /** Revocations held, for tests. */
  public int size() {
    return bySub.size();
  }
}
