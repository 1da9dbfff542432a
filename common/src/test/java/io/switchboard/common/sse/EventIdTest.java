package io.switchboard.common.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventIdTest {

  @Test
  void roundTripsThroughItsText() {
    EventId id = EventId.ofSequence("3f9c2a71d0e4", 41);
    assertEquals("3f9c2a71d0e4-42", id.toString());
    assertEquals(Optional.of(id), EventId.parse("3f9c2a71d0e4-42"));
    assertEquals(42, id.nextSequence());
  }

  @Test
  void rejectsMalformedIds() {
    for (String text : new String[] {"", "42", "-42", "abc-", "abc-x1", "a b-1", "abc--1",
        "é-1", "abc-99999999999999999999", "a".repeat(70) + "-1"}) {
      assertFalse(EventId.parse(text).isPresent(), text);
    }
    assertFalse(EventId.parse(null).isPresent());
  }

  @Test
  void validatesTopicNamesAndEventTypes() {
    assertTrue(Topics.isValid("a.b_c-D9"));
    assertTrue(Topics.isValid("x".repeat(128)));
    assertFalse(Topics.isValid("x".repeat(129)));
    assertFalse(Topics.isValid(""));
    assertFalse(Topics.isValid("a/b"));
    assertFalse(Topics.isValid("a b"));
    assertTrue(EventTypes.isValid("user joined"));
    assertFalse(EventTypes.isValid("a\nb"));
    assertFalse(EventTypes.isValid(""));
  }
}
