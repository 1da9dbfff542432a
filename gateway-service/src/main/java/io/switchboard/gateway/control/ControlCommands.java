package io.switchboard.gateway.control;

import io.vertx.core.json.JsonObject;

/**
 * ControlCommands are the operator's commands as one gateway node sends them to every other, on
 * their control addresses: each answers {@code {"count": n}}, what it did to its own connections.
 */
final class ControlCommands {

  static final String OP = "op";
  static final String DISCONNECT = "disconnect";
  static final String REVOKE = "revoke";
  static final String KICK = "kick";

  private ControlCommands() {
  }

  /** Closes every connection of {@code user}. */
  static JsonObject disconnect(String user) {
    return new JsonObject().put(OP, DISCONNECT).put("user", user);
  }

  /** Refuses {@code user}'s tokens issued before {@code before} until {@code untilMillis}, and closes their connections. */
  static JsonObject revoke(String user, long before, long untilMillis) {
    return new JsonObject().put(OP, REVOKE).put("user", user).put("before", before).put("until", untilMillis);
  }

  /** Takes {@code peer} out of {@code room}. */
  static JsonObject kick(String room, String peer) {
    return new JsonObject().put(OP, KICK).put("room", room).put("peer", peer);
  }

  /** Whether {@code command} has the fields its operation needs. */
  static boolean wellFormed(JsonObject command) {
    if (command == null) {
      return false;
    }
    Object op = command.getValue(OP);
    if (DISCONNECT.equals(op)) {
      return command.getValue("user") instanceof String;
    }
    if (REVOKE.equals(op)) {
      return command.getValue("user") instanceof String && command.getValue("before") instanceof Number
          && command.getValue("until") instanceof Number;
    }
    if (KICK.equals(op)) {
      return command.getValue("room") instanceof String && command.getValue("peer") instanceof String;
    }
    return true;
  }

  static JsonObject count(int count) {
    return new JsonObject().put("count", count);
  }
}
