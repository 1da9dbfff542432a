package io.switchboard.common.service;

import com.hazelcast.instance.impl.OutOfMemoryErrorDispatcher;
import com.hazelcast.map.EntryProcessor;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OutOfMemoryChild is a process for {@link FatalErrorsTest}: it installs {@link FatalErrors} as a
 * service does, then runs out of heap where its argument says, or throws an ordinary exception.
 */
public final class OutOfMemoryChild {

  /** Printed once an ordinary uncaught exception has been handled and the process goes on. */
  static final String STILL_RUNNING = "still running after an uncaught exception";

  private OutOfMemoryChild() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FatalErrors.install(vertx);
    switch (args[0]) {
      case "thread" -> new Thread(OutOfMemoryChild::exhaustHeap, "allocator").start();
      case "event-loop" -> vertx.runOnContext(v -> exhaustHeap());
      case "hazelcast-operation" -> exhaustOnAPartitionThread();
      case "hazelcast-dispatcher" -> {
        try {
          // What Hazelcast's threads call with an OutOfMemoryError they catch.
          OutOfMemoryErrorDispatcher.onOutOfMemory(new OutOfMemoryError("as Hazelcast reports it"));
        } catch (Throwable ignored) {
          // Only Hazelcast's handler may end the process here.
        }
      }
      case "ordinary-exception" -> {
        Thread thrower = new Thread(() -> {
          throw new IllegalStateException("an ordinary failure");
        }, "thrower");
        thrower.start();
        thrower.join();
        System.out.println(STILL_RUNNING);
        System.exit(0);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    // Not reached when the process halts; the test's timeout fails it otherwise.
    Thread.sleep(120_000);
    System.exit(0);
  }

  private static void exhaustOnAPartitionThread() {
    ClusterNode node = new TestCluster().startNode();
    try {
      node.hazelcast().getMap("exhaust").executeOnKey("key", new ExhaustingProcessor());
    } catch (Throwable ignored) {
      // Whatever reaches the caller: the process must end through the partition thread's handling.
    }
  }

  static Object exhaustHeap() {
    List<long[]> held = new ArrayList<>();
    while (true) {
      held.add(new long[64 * 1024]);
    }
  }

  /** Runs on a Hazelcast partition thread, which catches what it throws. */
  private static final class ExhaustingProcessor implements EntryProcessor<Object, Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object process(Map.Entry<Object, Object> entry) {
      return exhaustHeap();
    }
  }
}
