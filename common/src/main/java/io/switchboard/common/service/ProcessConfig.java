package io.switchboard.common.service;

import io.switchboard.common.config.Env;
import io.vertx.core.VertxOptions;

/**
 * ProcessConfig is how a service process runs its Vert.x instance.
 *
 * <p>Vert.x starts two event loops per core by default. Each Switchboard service deploys its
 * verticle once, so the extra loops carry only event-bus connections, and every message that
 * crosses from one loop to another costs a thread wake-up; one loop per core forwards markedly
 * more messages per second (see docs/benchmarks.md).
 *
 * @param eventLoops Vert.x event-loop threads ({@code VERTX_EVENT_LOOPS})
 */
public record ProcessConfig(int eventLoops) {

  public static ProcessConfig from(Env env) {
    return new ProcessConfig(env.integer("VERTX_EVENT_LOOPS",
        Runtime.getRuntime().availableProcessors(), 1, 1024));
  }

  public VertxOptions vertxOptions() {
    return new VertxOptions().setEventLoopPoolSize(eventLoops);
  }
}
