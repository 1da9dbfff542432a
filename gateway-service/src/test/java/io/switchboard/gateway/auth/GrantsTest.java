package io.switchboard.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What each kind of grants allows. */
class GrantsTest {

  private static final long EXP = 2_000_000_000L;

  @Test
  void aUserMayDoWhatItsPatternsAllowAndNothingElse() {
    Grants user = Grants.user("alice", EXP, Patterns.of("chat.*"), Patterns.of("chat.alice"),
        Patterns.of("team-*"), false);
    assertTrue(user.mayStream("chat.general"));
    assertFalse(user.mayStream("news"));
    assertTrue(user.mayPublish("chat.alice"));
    assertFalse(user.mayPublish("chat.general"));
    assertTrue(user.mayJoin("team-blue"));
    assertFalse(user.mayJoin("board"));
    assertTrue(user.mayReadHistory("chat.general"));
    assertFalse(user.mayReadHistory("news"));
    assertFalse(user.isAdmin());
    assertTrue(user.expires());
  }

  @Test
  void anAdminReadsEveryHistoryAndUsesTheOperatorEndpointsButStreamsOnlyItsTopics() {
    Grants admin = Grants.user("root", EXP, Patterns.of("ops"), Patterns.none(), Patterns.none(), true);
    assertTrue(admin.isAdmin());
    assertTrue(admin.mayReadHistory("news"));
    assertFalse(admin.mayStream("news"));
    assertFalse(admin.mayPublish("news"));
    assertFalse(admin.mayJoin("team-blue"));
  }

  @Test
  void anApiKeyPublishesAnywhereAndUsesEveryApiButNeitherStreamsNorJoins() {
    Grants key = Grants.apiKey();
    assertTrue(key.mayPublish("anything"));
    assertTrue(key.mayReadHistory("anything"));
    assertTrue(key.isAdmin());
    assertFalse(key.mayStream("anything"));
    assertFalse(key.mayJoin("team-blue"));
    assertNull(key.sub());
    assertFalse(key.expires());
  }

  @Test
  void openModeAllowsEverythingAndNamesNoUser() {
    Grants open = Grants.open();
    assertTrue(open.mayStream("x"));
    assertTrue(open.mayPublish("x"));
    assertTrue(open.mayJoin("x"));
    assertTrue(open.mayReadHistory("x"));
    assertTrue(open.isAdmin());
    assertNull(open.sub());
    assertNull(open.exp());
  }

  @Test
  void aUsersGrantsNeedASubject() {
    assertThrows(IllegalArgumentException.class,
        () -> Grants.user(" ", EXP, Patterns.none(), Patterns.none(), Patterns.none(), false));
  }
}
