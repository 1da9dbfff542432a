package io.switchboard.gateway.node;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import io.switchboard.gateway.origin.WebOrigin;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OriginsConfig holds which browser origins, besides the gateway's own, may use the gateway, read
 * once from the environment ({@code ALLOWED_ORIGINS}).
 *
 * @param anyOrigin every origin is allowed, the opaque {@code null} one included ({@code *})
 * @param allowed the origins allowed besides the gateway's own; empty by default
 */
public record OriginsConfig(boolean anyOrigin, Set<WebOrigin> allowed) {

  public static final String VARIABLE = "ALLOWED_ORIGINS";
  private static final String EXPECTED =
      "* or a comma-separated list of origins scheme://host[:port] without a path, such as https://app.example.org";

  public OriginsConfig {
    allowed = Set.copyOf(allowed);
  }

  public static OriginsConfig from(Env env) {
    List<String> items = env.list(VARIABLE, List.of());
    if (items.contains("*")) {
      if (items.size() > 1) {
        throw new ConfigException(VARIABLE, "* on its own, or a list of origins without it", String.join(",", items));
      }
      return new OriginsConfig(true, Set.of());
    }
    Set<WebOrigin> allowed = new LinkedHashSet<>();
    for (String item : items) {
      WebOrigin origin = WebOrigin.parse(item);
      if (origin == null) {
        throw new ConfigException(VARIABLE, EXPECTED, item);
      }
      allowed.add(origin);
    }
    return new OriginsConfig(false, allowed);
  }

  /** Only the gateway's own origin: the default. */
  public static OriginsConfig sameOriginOnly() {
    return new OriginsConfig(false, Set.of());
  }
}
