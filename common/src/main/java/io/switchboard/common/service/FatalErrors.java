package io.switchboard.common.service;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.OutOfMemoryHandler;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FatalErrors ends the process on an {@link OutOfMemoryError}, whichever thread meets it and
 * whichever library catches it, with {@link #OUT_OF_MEMORY_EXIT_CODE} even when the JVM was started
 * without {@code -XX:+ExitOnOutOfMemoryError}.
 *
 * <p>A JVM out of memory cannot be trusted to serve: Hazelcast's own handler shuts its member down
 * and Vert.x and Netty log the error and carry on, which leaves a process that answers HTTP without
 * a cluster. A process that exits is restarted by whatever runs it, and its peers drop it at once.
 * The places where an error can surface are an uncaught exception on any thread, a Vert.x handler,
 * Hazelcast's operation and network threads, and a connection's exception handler; each calls
 * {@link #haltOnOutOfMemory}. It halts without shutdown hooks: a graceful leave needs memory and
 * threads that may be gone, and the cluster drops a vanished member anyway.
 */
public final class FatalErrors {

  /** The exit status of a process halted by an OutOfMemoryError: the JVM's own for the same case. */
  public static final int OUT_OF_MEMORY_EXIT_CODE = 3;

  private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);
  /**
   * The line's fixed parts, encoded before memory runs out and written straight to the file
   * descriptor: {@code System.err} would have to allocate to encode them.
   */
  private static final byte[] HALTING = ("switchboard: halting with exit code " + OUT_OF_MEMORY_EXIT_CODE
      + " on OutOfMemoryError").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_OF_LINE = "\n".getBytes(StandardCharsets.US_ASCII);
  private static final FileOutputStream STDERR = new FileOutputStream(FileDescriptor.err);
  /** Causes followed at most, so that a cause cycle cannot loop. */
  private static final int MAX_CAUSES = 16;
  private static final AtomicBoolean HALTED = new AtomicBoolean();
  private static boolean installed;

  private FatalErrors() {
  }

  /**
   * Halts on an OutOfMemoryError that no one catches on any thread, or that Hazelcast catches.
   * Idempotent.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      haltOnOutOfMemory(error);
      if (previous != null) {
        previous.uncaughtException(thread, error);
      } else {
        LOG.error("Uncaught exception in thread {}", thread.getName(), error);
      }
    });
    Hazelcast.setOutOfMemoryHandler(new Halting());
  }

  /** {@link #install()}, and halts on an OutOfMemoryError that a handler of {@code vertx} throws. */
  public static void install(Vertx vertx) {
    install();
    Handler<Throwable> previous = vertx.exceptionHandler();
    vertx.exceptionHandler(error -> {
      haltOnOutOfMemory(error);
      if (previous != null) {
        previous.handle(error);
      } else {
        // What Vert.x logs for an exception that no handler takes.
        LOG.error("Unhandled exception", error);
      }
    });
  }

  /**
   * Halts the process when {@code error} is an OutOfMemoryError or was caused by one; returns
   * otherwise. For exception handlers that would swallow it.
   */
  public static void haltOnOutOfMemory(Throwable error) {
    OutOfMemoryError outOfMemory = outOfMemory(error);
    if (outOfMemory != null) {
      halt(outOfMemory);
    }
  }

  /** {@code error} or its first cause that is an OutOfMemoryError; null when none is. */
  static OutOfMemoryError outOfMemory(Throwable error) {
    Throwable current = error;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
      if (current instanceof OutOfMemoryError outOfMemory) {
        return outOfMemory;
      }
      current = current.getCause();
    }
    return null;
  }

  private static void halt(OutOfMemoryError error) {
    // Several threads often run out at once: one line is enough.
    if (HALTED.compareAndSet(false, true)) {
      printLine(error);
    }
    Runtime.getRuntime().halt(OUT_OF_MEMORY_EXIT_CODE);
  }

  /** Best effort, the detail most of all: building it needs memory. */
  private static void printLine(OutOfMemoryError error) {
    try {
      STDERR.write(HALTING);
      try {
        STDERR.write((": " + error.getMessage()).getBytes(StandardCharsets.UTF_8));
      } finally {
        STDERR.write(END_OF_LINE);
      }
    } catch (Throwable ignored) {
      // The halt goes ahead without the line.
    }
  }

  /** Replaces Hazelcast's default, which shuts the member down and leaves the process running. */
  private static final class Halting extends OutOfMemoryHandler {
    @Override
    public void onOutOfMemory(OutOfMemoryError error, HazelcastInstance[] instances) {
      halt(error);
    }
  }
}
