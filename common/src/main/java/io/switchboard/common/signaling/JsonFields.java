package io.switchboard.common.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JsonFields reads the fields of signaling's bus messages leniently: a field that is missing or of
 * the wrong type reads as null, zero or empty, for the receiver to refuse or ignore, never as an
 * exception thrown on the event loop.
 */
final class JsonFields {

  private JsonFields() {
  }

  static String string(JsonObject json, String field) {
    return json.getValue(field) instanceof String text ? text : null;
  }

  static long number(JsonObject json, String field) {
    return json.getValue(field) instanceof Number number ? number.longValue() : 0L;
  }

  /**
   * Peer id to node id (or to user), in the object's order; entries whose value is not a string are
   * left out.
   */
  static Map<String, String> members(JsonObject json, String field) {
    Map<String, String> members = new LinkedHashMap<>();
    if (json.getValue(field) instanceof JsonObject object) {
      object.forEach(entry -> {
        if (entry.getValue() instanceof String node) {
          members.put(entry.getKey(), node);
        }
      });
    }
    return members;
  }

  /** The strings of an array, in order; items that are not strings are left out. */
  static List<String> strings(JsonObject json, String field) {
    List<String> strings = new ArrayList<>();
    if (json.getValue(field) instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof String text) {
          strings.add(text);
        }
      }
    }
    return strings;
  }

  /** Peer id to node id (or to user) as a JSON object, in the map's order. */
  static JsonObject members(Map<String, String> members) {
    JsonObject json = new JsonObject();
    members.forEach(json::put);
    return json;
  }

  /** An unmodifiable copy that keeps the map's order; empty for null. */
  static Map<String, String> copyOf(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
