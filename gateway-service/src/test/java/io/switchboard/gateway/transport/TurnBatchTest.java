package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.TestLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TurnBatchTest {

  private static final int LIMIT = 3;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final TestLoop loop = new TestLoop(context);
  /** Every flushed batch, in the order they were flushed; touched on the loop only. */
  private final List<List<String>> flushed = new ArrayList<>();
  private final TurnBatch<List<String>> turn = new TurnBatch<>(context, ArrayList::new, flushed::add);

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void flushesTheAddsOfOneTurnOnceInOrderAtTheEndOfTheTurn() {
    List<List<String>> duringTheTurn = loop.call(() -> {
      add("a");
      add("b");
      return List.copyOf(flushed);
    });
    assertEquals(List.of(), duringTheTurn);
    // The flush was queued during that turn, so it has run before this one.
    assertEquals(List.of(List.of("a", "b")), loop.call(() -> List.copyOf(flushed)));
  }

  @Test
  void flushesAFullBatchAtOnceAndTheRestOfTheTurnAtItsEnd() {
    List<List<String>> duringTheTurn = loop.call(() -> {
      add("a");
      add("b");
      add("c");
      add("d");
      return List.copyOf(flushed);
    });
    assertEquals(List.of(List.of("a", "b", "c")), duringTheTurn);
    assertEquals(List.of(List.of("a", "b", "c"), List.of("d")),
        loop.call(() -> List.copyOf(flushed)));
  }

  @Test
  void flushesNothingMoreAtTheEndOfATurnWhoseLastAddFilledTheBatch() {
    loop.call(() -> {
      add("a");
      add("b");
      add("c");
      return null;
    });
    assertEquals(List.of(List.of("a", "b", "c")), loop.call(() -> List.copyOf(flushed)));
  }

  @Test
  void addsMadeDuringAFlushGoToTheNextBatch() {
    CompletableFuture<List<List<String>>> batches = new CompletableFuture<>();
    List<List<String>> seen = new ArrayList<>();
    AtomicReference<TurnBatch<List<String>>> self = new AtomicReference<>();
    self.set(new TurnBatch<>(context, ArrayList::new, batch -> {
      seen.add(batch);
      if (seen.size() == 1) {
        self.get().batch().add("added while flushing");
        self.get().flushAtEndOfTurn();
      } else {
        batches.complete(List.copyOf(seen));
      }
    }));
    loop.call(() -> {
      self.get().batch().add("a");
      self.get().flushAtEndOfTurn();
      return null;
    });
    assertEquals(List.of(List.of("a"), List.of("added while flushing")),
        batches.orTimeout(5, TimeUnit.SECONDS).join());
  }

  /** Adds as the batch's owners do: a full batch leaves at once, any other at the end of the turn. */
  private void add(String item) {
    List<String> batch = turn.batch();
    batch.add(item);
    if (batch.size() >= LIMIT) {
      turn.flushNow();
    } else {
      turn.flushAtEndOfTurn();
    }
  }
}
