package io.switchboard.gateway.presence;

/** One connection present on a topic: its id and its user, null when it has none. */
public record Present(String id, String user) {
}
