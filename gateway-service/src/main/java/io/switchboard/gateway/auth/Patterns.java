package io.switchboard.gateway.auth;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Patterns is a set of topic or room name patterns from a token's claim: each is an exact name, or
 * a prefix ending in {@code *} ({@code chat.*}, {@code team-*}, {@code *}).
 *
 * <p>A {@code *} anywhere but at the end stands for itself, and since topic and room names cannot
 * contain one, such a pattern matches nothing. An empty set allows nothing, which is what an absent
 * claim means.
 *
 * @param patterns the patterns, in the order given
 */
public record Patterns(List<String> patterns) {

  private static final Patterns NONE = new Patterns(List.of());
  private static final Patterns ALL = new Patterns(List.of("*"));

  public Patterns {
    patterns = List.copyOf(Objects.requireNonNull(patterns));
    for (String pattern : patterns) {
      if (pattern.isBlank()) {
        throw new IllegalArgumentException("A pattern cannot be blank");
      }
    }
  }

  public static Patterns of(Collection<String> patterns) {
    return patterns.isEmpty() ? NONE : new Patterns(List.copyOf(patterns));
  }

  public static Patterns of(String... patterns) {
    return of(List.of(patterns));
  }

  /** The patterns that allow nothing: an absent claim. */
  public static Patterns none() {
    return NONE;
  }

  /** The pattern that allows every name. */
  public static Patterns all() {
    return ALL;
  }

  /** Whether some pattern matches the name; a null name matches nothing. */
  public boolean allows(String name) {
    if (name == null) {
      return false;
    }
    for (String pattern : patterns) {
      if (matches(pattern, name)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  private static boolean matches(String pattern, String name) {
    int last = pattern.length() - 1;
    if (pattern.charAt(last) == '*') {
      return name.startsWith(pattern.substring(0, last));
    }
    return pattern.equals(name);
  }
}
