package io.switchboard.gateway.transport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * StrictJson decodes what clients send as JSON, WebSocket frames and published bodies, exactly as
 * RFC 8259 defines it: no comments, no duplicate keys, nothing after the value. Vert.x's own
 * decoder accepts comments,
 * and its last-wins reading of a duplicate key is not every recipient's: a frame relayed as the
 * sender wrote it must mean the same thing to every parser that reads it.
 */
public final class StrictJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private StrictJson() {
  }

  /**
   * The decoded value: a {@link JsonObject}, a {@link JsonArray}, a String, a Number, a Boolean or
   * null.
   *
   * @throws IOException when {@code text} is not strict JSON
   */
  public static Object decode(String text) throws IOException {
    return wrap(MAPPER.readValue(text, Object.class));
  }

  /**
   * The value of UTF-8 {@code bytes}, as {@link #decode(String)} gives it.
   *
   * @throws IOException when the bytes are not strict JSON in UTF-8
   */
  public static Object decode(byte[] bytes) throws IOException {
    return wrap(MAPPER.readValue(bytes, Object.class));
  }

  private static Object wrap(Object value) {
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new JsonObject(fields);
    }
    if (value instanceof List<?> list) {
      return new JsonArray(list);
    }
    return value;
  }
}
