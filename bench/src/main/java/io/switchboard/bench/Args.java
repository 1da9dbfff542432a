package io.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Args holds a command line of {@code --name value} (or {@code --name=value}) options. */
public final class Args {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {
  }

  /** Parses options; a {@code --flag} followed by another option or nothing means {@code true}. */
  public static Args parse(String[] argv) {
    Args args = new Args();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) {
        args.positional.add(a);
        continue;
      }
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        args.values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        args.values.put(name, argv[++i]);
      } else {
        args.values.put(name, "true");
      }
    }
    return args;
  }

  public List<String> positional() {
    return positional;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** A required option: missing stops the tool with a message naming it. */
  public String required(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing option --" + name);
    }
    return v;
  }

  public int integer(String name, int fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": expected an integer, got '" + v + "'");
    }
  }

  public double decimal(String name, double fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": expected a number, got '" + v + "'");
    }
  }

  /** A duration in seconds, for example {@code --duration 10} or {@code --duration 2.5}. */
  public Duration seconds(String name, double fallbackSeconds) {
    return Duration.ofMillis(Math.round(decimal(name, fallbackSeconds) * 1000));
  }

  public List<String> list(String name, String fallback) {
    String v = values.getOrDefault(name, fallback);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** The options as given, recorded with the results so a run can be repeated. */
  public Map<String, String> asMap() {
    return Map.copyOf(values);
  }
}
