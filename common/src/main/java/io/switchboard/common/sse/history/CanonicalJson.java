package io.switchboard.common.sse.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * CanonicalJson writes a JSON value so that two texts of the same value give the same bytes: the
 * members of every object in the order of their names, every number in one spelling ({@code 1.0}
 * and {@code 1}, {@code 1e2} and {@code 100} alike), and no whitespace. A publish that repeats an
 * idempotency key with data of another text is compared with the stored event this way, as JSON
 * rather than as text; the key's hash, which every release computes alike, stays that of the text.
 */
final class CanonicalJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private CanonicalJson() {
  }

  /**
   * Whether the event of {@code sequence} among {@code events} has {@code type} and the same data
   * as {@code data}, compared as JSON; false when it is no longer among them.
   */
  static boolean sameEvent(Iterable<LogEntry> events, long sequence, String type, byte[] data) {
    for (LogEntry entry : events) {
      if (entry.sequence() == sequence) {
        return Objects.equals(entry.type(), type) && Arrays.equals(of(entry.data()), of(data));
      }
    }
    return false;
  }

  /** The canonical UTF-8 text of {@code json}; {@code json} itself when it is not valid JSON. */
  static byte[] of(byte[] json) {
    try {
      JsonNode value = MAPPER.readTree(json);
      if (value == null) {
        return json;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
      try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
        write(value, generator);
      }
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      return json;
    }
  }

  private static void write(JsonNode value, JsonGenerator out) throws IOException {
    if (value.isObject()) {
      List<String> names = new ArrayList<>(value.size());
      value.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.writeStartObject();
      for (String name : names) {
        out.writeFieldName(name);
        write(value.get(name), out);
      }
      out.writeEndObject();
    } else if (value.isArray()) {
      out.writeStartArray();
      for (JsonNode item : value) {
        write(item, out);
      }
      out.writeEndArray();
    } else if (value.isNumber()) {
      out.writeNumber(value.decimalValue().stripTrailingZeros().toString());
    } else {
      MAPPER.writeTree(out, value);
    }
  }
}
