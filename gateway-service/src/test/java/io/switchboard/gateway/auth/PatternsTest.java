package io.switchboard.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Topic and room patterns: exact names and prefixes ending in '*'. */
class PatternsTest {

  @Test
  void anExactNameAllowsThatNameOnly() {
    Patterns patterns = Patterns.of("chat");
    assertTrue(patterns.allows("chat"));
    assertFalse(patterns.allows("chat.room"));
    assertFalse(patterns.allows("cha"));
  }

  @Test
  void aPrefixEndingInAStarAllowsEveryNameWithThatPrefix() {
    Patterns patterns = Patterns.of("chat.*", "team-*");
    assertTrue(patterns.allows("chat.general"));
    assertTrue(patterns.allows("chat."));
    assertTrue(patterns.allows("team-blue"));
    assertFalse(patterns.allows("chat"));
    assertFalse(patterns.allows("chatter"));
    assertFalse(patterns.allows("news"));
  }

  @Test
  void aLoneStarAllowsEveryName() {
    assertTrue(Patterns.all().allows("anything"));
    assertTrue(Patterns.of("*").allows("x"));
  }

  @Test
  void noPatternsAllowNothing() {
    assertFalse(Patterns.none().allows("chat"));
    assertFalse(Patterns.of(List.of()).allows("chat"));
    assertFalse(Patterns.all().allows(null));
  }

  @Test
  void aStarBeforeTheEndStandsForItselfAndSoMatchesNoName() {
    Patterns patterns = Patterns.of("chat.*.log");
    assertFalse(patterns.allows("chat.a.log"));
    assertFalse(patterns.allows("chat.x"));
  }

  @Test
  void aBlankPatternIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Patterns.of("chat", " "));
  }
}
