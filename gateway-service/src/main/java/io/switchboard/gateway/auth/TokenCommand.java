package io.switchboard.gateway.auth;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * TokenCommand is {@code switchboard token}: it prints a token signed with
 * {@code AUTH_JWT_SECRET} for the user and patterns its options name.
 *
 * <p>Exit status 0 with the token on standard output; 2 with the problem on standard error when an
 * option or {@code AUTH_JWT_SECRET} is wrong.
 */
public final class TokenCommand {

  public static final String NAME = "token";
  static final int OK = 0;
  static final int USAGE = 2;
  static final String USAGE_TEXT = String.join("\n",
      "Usage: token --sub <user> [--ttl <seconds>] [--subscribe <patterns>] [--publish <patterns>]",
      "             [--rooms <patterns>] [--admin]",
      "Prints an HS256 token signed with AUTH_JWT_SECRET (and carrying AUTH_JWT_ISSUER and",
      "AUTH_JWT_AUDIENCE when set). Patterns are names or prefixes ending in '*', comma-separated;",
      "--subscribe, --publish and --rooms may repeat. --ttl defaults to 3600.");
  private static final long DEFAULT_TTL_SECONDS = 3600;
  private static final Set<String> VALUE_OPTIONS =
      Set.of("--sub", "--ttl", "--subscribe", "--publish", "--rooms");

  private TokenCommand() {
  }

  /** Runs the command with its arguments (after {@code token}); returns the exit status. */
  public static int run(List<String> args, Env env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(USAGE_TEXT);
      return OK;
    }
    TokenMint.Claims claims;
    try {
      claims = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("token: " + e.getMessage());
      err.println(USAGE_TEXT);
      return USAGE;
    }
    String secret;
    try {
      secret = AuthConfig.secret(env);
    } catch (ConfigException e) {
      err.println("token: " + e.getMessage());
      return USAGE;
    }
    if (secret == null) {
      err.println("token: " + AuthConfig.SECRET_VARIABLE + " is not set; it holds the HS256 secret "
          + "tokens are signed with, the same the gateway verifies them with");
      return USAGE;
    }
    Vertx vertx = Vertx.vertx();
    try {
      out.println(new TokenMint(vertx, secret, env.raw("AUTH_JWT_ISSUER"), env.raw("AUTH_JWT_AUDIENCE"))
          .mint(claims));
      return OK;
    } finally {
      vertx.close();
    }
  }

  /** The claims the options ask for; throws IllegalArgumentException saying what is wrong. */
  static TokenMint.Claims parse(List<String> args) {
    String sub = null;
    long ttl = DEFAULT_TTL_SECONDS;
    boolean admin = false;
    List<String> subscribe = new ArrayList<>();
    List<String> publish = new ArrayList<>();
    List<String> rooms = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String option = args.get(i);
      if (option.equals("--admin")) {
        admin = true;
        continue;
      }
      if (!VALUE_OPTIONS.contains(option)) {
        throw new IllegalArgumentException(option.startsWith("--") ? "unknown option " + option
            : "unexpected argument " + option);
      }
      if (++i >= args.size()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args.get(i);
      switch (option) {
        case "--sub" -> sub = value;
        case "--ttl" -> ttl = seconds(value);
        case "--subscribe" -> split(value, subscribe);
        case "--publish" -> split(value, publish);
        default -> split(value, rooms);
      }
    }
    if (sub == null || sub.isBlank()) {
      throw new IllegalArgumentException("--sub is required");
    }
    return new TokenMint.Claims(sub, Duration.ofSeconds(ttl), subscribe, publish, rooms, admin);
  }

  private static long seconds(String value) {
    try {
      long seconds = Long.parseLong(value);
      if (seconds > 0 && seconds <= Integer.MAX_VALUE) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException("--ttl must be a whole number of seconds from 1 to "
        + Integer.MAX_VALUE + ", got '" + value + "'");
  }

  private static void split(String value, List<String> into) {
    for (String pattern : value.split(",")) {
      if (pattern.isBlank()) {
        throw new IllegalArgumentException("empty pattern in '" + value + "'");
      }
      into.add(pattern.trim());
    }
  }
}
