package io.switchboard.gateway.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Busiest picks, from counts by name (members by room, subscribers by topic), the entries with the
 * highest counts, ties broken by name, so that a view of them stays bounded however many names
 * there are.
 */
final class Busiest {

  /** Highest count first, then by name. */
  static final Comparator<Map.Entry<String, Integer>> ORDER =
      Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
          .thenComparing(Map.Entry::getKey);

  private Busiest() {
  }

  /** At most {@code max} entries of {@code counts}, the busiest first. */
  static List<Map.Entry<String, Integer>> of(Map<String, Integer> counts, int max) {
    if (max <= 0) {
      return List.of();
    }
    // The least busy kept is at the head, ready to give way: n log(max), not a sort of every name.
    PriorityQueue<Map.Entry<String, Integer>> kept = new PriorityQueue<>(ORDER.reversed());
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (kept.size() < max) {
        kept.add(Map.entry(entry.getKey(), entry.getValue()));
      } else if (ORDER.compare(entry, kept.peek()) < 0) {
        kept.poll();
        kept.add(Map.entry(entry.getKey(), entry.getValue()));
      }
    }
    List<Map.Entry<String, Integer>> busiest = new ArrayList<>(kept);
    busiest.sort(ORDER);
    return busiest;
  }
}
