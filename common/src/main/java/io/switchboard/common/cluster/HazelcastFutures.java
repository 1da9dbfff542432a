package io.switchboard.common.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * HazelcastFutures turns the futures of Hazelcast's asynchronous calls ({@code submitToKey},
 * {@code getAsync}, ...) into Vert.x futures completed on a Vert.x context.
 *
 * <p>Hazelcast runs a callback registered with {@code whenComplete} on its default asynchronous
 * executor, which is the common fork-join pool only when that pool has two threads or more; on a
 * machine with two cores or fewer it starts a new thread for every callback. Vert.x's
 * {@code Future.fromCompletionStage} registers its callback that way, so every cluster call paid
 * for a thread's start and end. Here the callback runs on the thread that completes Hazelcast's
 * future, where it only hands the outcome to the context: no thread is started and nothing blocks.
 */
public final class HazelcastFutures {

  /** Runs a completion callback on the thread that completed the future. */
  public static final Executor IN_PLACE = Runnable::run;

  private HazelcastFutures() {
  }

  /**
   * The outcome of the cluster call that {@code start} makes, delivered on {@code context}. A call
   * that cannot start is a failed future too: Hazelcast throws at once, for example, on a member
   * that is leaving the cluster.
   */
  public static <T> Future<T> call(Supplier<? extends CompletionStage<T>> start, Context context) {
    CompletionStage<T> stage;
    try {
      stage = start.get();
    } catch (RuntimeException notStarted) {
      return Future.failedFuture(notStarted);
    }
    return onContext(stage, context);
  }

  /** {@code stage}'s outcome, delivered on {@code context}. */
  public static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, err) -> context.runOnContext(v -> {
      if (err != null) {
        promise.fail(err);
      } else {
        promise.complete(value);
      }
    }), IN_PLACE);
    return promise.future();
  }
}
