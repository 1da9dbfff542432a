package io.switchboard.common.sse.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  private static byte[] canonical(String json) {
    return CanonicalJson.of(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void same(String a, String b) {
    assertArrayEquals(canonical(a), canonical(b), a + " and " + b);
  }

  private static void differ(String a, String b) {
    assertFalse(Arrays.equals(canonical(a), canonical(b)), a + " and " + b);
  }

  @Test
  void theSameValueSpelledTwoWaysIsTheSame() {
    same("{\"b\":2,\"a\":{\"y\":[1,{\"q\":1,\"p\":2}],\"x\":null}}", "{ \"a\" : {\"x\":null,\"y\":[1.0,{\"p\":2,\"q\":1e0}]}, \"b\":2 }");
    same("100", "1e2");
    same("1.50", "1.5");
    same("\"x\"", "\"\\u0078\"");
  }

  @Test
  void differentValuesStayDifferent() {
    differ("[1,2]", "[2,1]");
    differ("{\"a\":1}", "{\"a\":\"1\"}");
    differ("{\"a\":1}", "{\"a\":1,\"b\":null}");
    differ("0.1", "0.10000000000000001");
    differ("true", "\"true\"");
  }

  @Test
  void textThatIsNotJsonIsItsOwnCanonicalForm() {
    assertEquals("{not json", new String(canonical("{not json"), StandardCharsets.UTF_8));
  }
}
