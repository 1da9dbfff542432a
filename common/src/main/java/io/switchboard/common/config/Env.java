package io.switchboard.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Env reads configuration variables once, at start-up, and validates them.
 *
 * <p>Each accessor names the variable in its error, so a bad value stops the process with a message
 * that says which variable is wrong and what was expected.
 */
public final class Env {

  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = Map.copyOf(Objects.requireNonNull(values));
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  /** The raw value, or null when unset or blank. */
  public String raw(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.trim();
  }

  public String string(String name, String defaultValue) {
    String value = raw(name);
    return value == null ? defaultValue : value;
  }

  /** A string that must match a regular expression. */
  public String string(String name, String defaultValue, String pattern, String expected) {
    String value = string(name, defaultValue);
    if (value != null && !value.matches(pattern)) {
      throw new ConfigException(name, expected, value);
    }
    return value;
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new ConfigException(name, "an integer from " + min + " to " + max, value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "an integer from " + min + " to " + max, value);
    }
  }

  /** A whole number that may be beyond an int, such as a size in bytes. */
  public long longInteger(String name, long defaultValue, long min, long max) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        throw new ConfigException(name, "an integer from " + min + " to " + max, value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "an integer from " + min + " to " + max, value);
    }
  }

  /** A duration given in milliseconds. */
  public Duration millis(String name, long defaultMillis, long minMillis, long maxMillis) {
    String value = raw(name);
    if (value == null) {
      return Duration.ofMillis(defaultMillis);
    }
    String expected = "a whole number of milliseconds from " + minMillis + " to " + maxMillis;
    try {
      long parsed = Long.parseLong(value);
      if (parsed < minMillis || parsed > maxMillis) {
        throw new ConfigException(name, expected, value);
      }
      return Duration.ofMillis(parsed);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, expected, value);
    }
  }

  public boolean bool(String name, boolean defaultValue) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    switch (value.toLowerCase()) {
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw new ConfigException(name, "true or false", value);
    }
  }

  /** A comma-separated list; empty items are dropped. */
  public List<String> list(String name, List<String> defaultValue) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    if (items.isEmpty()) {
      throw new ConfigException(name, "a comma-separated list", value);
    }
    return List.copyOf(items);
  }
}
