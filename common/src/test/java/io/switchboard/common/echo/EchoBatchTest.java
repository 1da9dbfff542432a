package io.switchboard.common.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoBatchTest {

  @Test
  void textAndBinaryMessagesComeBackInOrder() {
    Buffer bytes = Buffer.buffer(new byte[] {0, 1, (byte) 255});
    Buffer batch = new EchoBatch().addText("héllo ✓").addBinary(bytes).addText("").toBuffer();
    assertEquals(List.of("héllo ✓", bytes, ""), EchoBatch.decode(batch));
  }

  @Test
  void anEmptyBatchHasNoMessages() {
    assertEquals(List.of(), EchoBatch.decode(new EchoBatch().toBuffer()));
  }

  @Test
  void truncatedOrMalformedBatchesAreRejected() {
    Buffer good = new EchoBatch().addText("abc").toBuffer();
    assertThrows(IllegalArgumentException.class, () -> EchoBatch.decode(Buffer.buffer()));
    assertThrows(IllegalArgumentException.class, () -> EchoBatch.decode(good.getBuffer(0, good.length() - 1)));
    assertThrows(IllegalArgumentException.class, () -> EchoBatch.decode(good.copy().appendByte((byte) 0)));
    Buffer badKind = good.copy();
    badKind.setByte(4, (byte) 7);
    assertThrows(IllegalArgumentException.class, () -> EchoBatch.decode(badKind));
    Buffer hugeCount = good.copy();
    hugeCount.setInt(0, Integer.MAX_VALUE);
    assertThrows(IllegalArgumentException.class, () -> EchoBatch.decode(hugeCount));
    Buffer negativeLength = good.copy();
    negativeLength.setInt(5, -1);
    assertThrows(IllegalArgumentException.class, () -> EchoBatch.decode(negativeLength));
    // A length that makes start + length overflow must not pass the bounds check.
    Buffer overflowingLength = good.copy();
    overflowingLength.setInt(5, Integer.MAX_VALUE);
    assertThrows(IllegalArgumentException.class, () -> EchoBatch.read(overflowingLength, (k, b, s, l) -> { }));
  }
}
