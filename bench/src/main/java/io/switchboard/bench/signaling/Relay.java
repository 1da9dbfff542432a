package io.switchboard.bench.signaling;

/**
 * Relay is one signaling message as the load tool sees it: who sent it, its sequence number, when
 * it was sent ({@code System.nanoTime()} in this process) and whether it asks for an answer.
 */
public record Relay(String from, long seq, long sentAt, boolean ping) {
}
