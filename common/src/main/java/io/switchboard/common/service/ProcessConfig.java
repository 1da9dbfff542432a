package io.switchboard.common.service;

import io.switchboard.common.config.Env;
import io.vertx.core.VertxOptions;
import java.time.Duration;

/**
 * ProcessConfig is how a service process runs its Vert.x instance.
 *
 * <p>Vert.x starts two event loops per core by default. A Switchboard service uses few of them
 * (the gateway serves its connections on {@code GATEWAY_EVENT_LOOPS}, half the cores by default;
 * the other services deploy their verticle once), so the extra loops carry only event-bus connections,
 * and every message that crosses from one loop to another costs a thread wake-up; one loop per core
 * forwards markedly more messages per second (see docs/benchmarks.md).
 *
 * <p>On Linux, Netty's epoll transport replaces Java NIO when its native library loads: fewer
 * copies and system calls per write. Where it cannot load, Vert.x falls back to NIO by itself.
 *
 * @param eventLoops Vert.x event-loop threads ({@code VERTX_EVENT_LOOPS})
 * @param nativeTransport whether to use the native transport when it loads ({@code VERTX_NATIVE_TRANSPORT})
 * @param startAttemptTimeout how long the service's deployment may take on a member that joined
 *     before the member is dropped and the process joins again ({@code START_ATTEMPT_TIMEOUT_SECONDS})
 * @param startAttempts how many members the process joins as before it gives up and exits
 *     ({@code START_ATTEMPTS})
 */
public record ProcessConfig(int eventLoops, boolean nativeTransport, Duration startAttemptTimeout,
    int startAttempts) {

  public static ProcessConfig from(Env env) {
    return new ProcessConfig(
        env.integer("VERTX_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 1024),
        env.bool("VERTX_NATIVE_TRANSPORT", true),
        Duration.ofSeconds(env.integer("START_ATTEMPT_TIMEOUT_SECONDS", 40, 5, 3600)),
        env.integer("START_ATTEMPTS", 3, 1, 100));
  }

  public VertxOptions vertxOptions() {
    return new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(nativeTransport);
  }
}
