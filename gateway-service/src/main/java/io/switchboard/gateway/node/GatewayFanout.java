package io.switchboard.gateway.node;

import io.switchboard.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * GatewayFanout sends an operator's command to every gateway node of the cluster, each at its own
 * control address ({@link Addresses#gatewayControl}), and adds up the {@code count}s they answer. A
 * member that is not a gateway has no such address and counts nothing; a gateway that does not
 * answer in time is counted as unreachable.
 */
public final class GatewayFanout {

  /** What the gateways answered: the sum of their counts, and how many did not answer. */
  public record Result(int count, int unreachable) {
  }

  private final EventBus bus;
  private final ClusterView cluster;
  private final DeliveryOptions delivery;

  public GatewayFanout(EventBus bus, ClusterView cluster, Duration timeout) {
    this.bus = bus;
    this.cluster = cluster;
    this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** Sends {@code command} to every gateway node, this one included. */
  public Future<Result> send(JsonObject command) {
    List<Future<int[]>> answers = new ArrayList<>();
    for (String node : cluster.memberIds()) {
      answers.add(bus.<JsonObject>request(Addresses.gatewayControl(node), command, delivery)
          .map(reply -> new int[] {reply.body().getInteger("count", 0), 0})
          .recover(err -> Future.succeededFuture(notAGateway(err) ? new int[] {0, 0} : new int[] {0, 1})));
    }
    return Future.all(answers).map(all -> {
      int count = 0;
      int unreachable = 0;
      for (Future<int[]> answer : answers) {
        count += answer.result()[0];
        unreachable += answer.result()[1];
      }
      return new Result(count, unreachable);
    });
  }

  private static boolean notAGateway(Throwable err) {
    return err instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }
}
