package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * MeasuredWindow is the measured part of a run: it opens when the warm-up ends, meters the CPU time
 * of the load tool and the servers from then on, and closes after the measured duration.
 */
public final class MeasuredWindow {

  private final long startNanos = System.nanoTime();
  private final CpuMeter cpu;

  private MeasuredWindow(Args args) {
    this.cpu = CpuMeter.start(args);
  }

  /**
   * After {@code warmup}, runs {@code onOpen} (which resets what the warm-up recorded) and opens a
   * window; {@code duration} later hands that window to {@code onClose}.
   */
  public static void schedule(Vertx vertx, Args args, Duration warmup, Duration duration, Runnable onOpen,
      Consumer<MeasuredWindow> onClose) {
    vertx.setTimer(Math.max(1, warmup.toMillis()), w -> {
      onOpen.run();
      MeasuredWindow window = new MeasuredWindow(args);
      vertx.setTimer(duration.toMillis(), e -> onClose.accept(window));
    });
  }

  /** Seconds since the window opened. */
  public double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Stops the CPU metering: the figures of {@link CpuMeter#stop} for {@code units} of work. */
  public JsonObject cpu(long units) {
    return cpu.stop(units);
  }
}
