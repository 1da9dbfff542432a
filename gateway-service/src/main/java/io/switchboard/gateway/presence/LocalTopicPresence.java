package io.switchboard.gateway.presence;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LocalTopicPresence keeps presence in this process only: for a gateway outside a cluster, and for
 * tests. Any thread may use it.
 */
public final class LocalTopicPresence implements TopicPresence {

  private final Map<String, LinkedHashMap<String, String>> byTopic = new LinkedHashMap<>();

  @Override
  public synchronized Future<List<Present>> join(String topic, String connectionId, String user,
      boolean list) {
    LinkedHashMap<String, String> present = byTopic.computeIfAbsent(topic, t -> new LinkedHashMap<>());
    present.put(connectionId, user);
    if (!list) {
      return Future.succeededFuture(List.of());
    }
    List<Present> all = new ArrayList<>();
    present.forEach((id, who) -> all.add(new Present(id, who)));
    return Future.succeededFuture(all);
  }

  @Override
  public synchronized Future<List<Present>> present(String topic) {
    List<Present> all = new ArrayList<>();
    byTopic.getOrDefault(topic, new LinkedHashMap<>()).forEach((id, who) -> all.add(new Present(id, who)));
    return Future.succeededFuture(all);
  }

  @Override
  public synchronized Future<Boolean> leave(String topic, String connectionId) {
    LinkedHashMap<String, String> present = byTopic.get(topic);
    boolean was = present != null && present.containsKey(connectionId);
    if (was) {
      present.remove(connectionId);
      if (present.isEmpty()) {
        byTopic.remove(topic);
      }
    }
    return Future.succeededFuture(was);
  }
}
