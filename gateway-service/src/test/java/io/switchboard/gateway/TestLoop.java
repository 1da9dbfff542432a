package io.switchboard.gateway;

import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * TestLoop runs a test's steps on one Vert.x context, the event loop the code under test belongs
 * to, and waits for each; an assertion that fails on the loop fails the test.
 */
public final class TestLoop {

  private final Context context;

  public TestLoop(Context context) {
    this.context = context;
  }

  /** Runs {@code action} on the loop and returns its result. */
  public <T> T call(Supplier<T> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (RuntimeException | AssertionError e) {
        result.fail(e);
      }
    });
    return TestCluster.await(result.future());
  }
}
