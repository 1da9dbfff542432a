package io.switchboard.common.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process ends with {@link FatalErrors#OUT_OF_MEMORY_EXIT_CODE} on an OutOfMemoryError wherever
 * it is met, in a JVM started without {@code -XX:+ExitOnOutOfMemoryError}, as {@code java -jar} is.
 */
class FatalErrorsTest {

  @TempDir
  Path dir;

  @Test
  void outOfMemoryOnAPlainThreadHaltsTheProcess() throws Exception {
    assertHaltsWithExitCode3("thread", 32);
  }

  @Test
  void outOfMemoryInAVertxHandlerHaltsTheProcess() throws Exception {
    assertHaltsWithExitCode3("event-loop", 32);
  }

  @Test
  void outOfMemoryThatHazelcastReportsHaltsTheProcess() throws Exception {
    assertHaltsWithExitCode3("hazelcast-dispatcher", 32);
  }

  @Test
  void outOfMemoryOnAHazelcastPartitionThreadHaltsTheProcess() throws Exception {
    assertHaltsWithExitCode3("hazelcast-operation", 96);
  }

  @Test
  void anOrdinaryUncaughtExceptionIsLoggedAndTheProcessGoesOn() throws Exception {
    Child child = run("ordinary-exception", 64);
    assertEquals(0, child.exitCode(), child.output());
    assertTrue(child.output().contains("Uncaught exception in thread thrower"), child.output());
    assertTrue(child.output().contains(OutOfMemoryChild.STILL_RUNNING), child.output());
  }

  @Test
  void findsAnOutOfMemoryErrorAmongTheCauses() {
    OutOfMemoryError outOfMemory = new OutOfMemoryError("Direct buffer memory");
    assertSame(outOfMemory, FatalErrors.outOfMemory(new RuntimeException("wrapped", outOfMemory)));
    assertNull(FatalErrors.outOfMemory(new RuntimeException("plain", new IllegalStateException())));
    assertNull(FatalErrors.outOfMemory(null));
  }

  private void assertHaltsWithExitCode3(String mode, int heapMegabytes) throws Exception {
    Child child = run(mode, heapMegabytes);
    assertEquals(FatalErrors.OUT_OF_MEMORY_EXIT_CODE, child.exitCode(), child.output());
    assertTrue(child.output().contains("halting with exit code 3 on OutOfMemoryError"), child.output());
  }

  private record Child(int exitCode, String output) {
  }

  private Child run(String mode, int heapMegabytes) throws IOException, InterruptedException {
    Path output = dir.resolve(mode + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-Xmx" + heapMegabytes + "m",
        "-cp", System.getProperty("java.class.path"), OutOfMemoryChild.class.getName(), mode))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .directory(new File(System.getProperty("user.dir")))
        .start();
    try {
      boolean ended = process.waitFor(90, TimeUnit.SECONDS);
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertTrue(ended, "the process did not end: " + text);
      return new Child(process.exitValue(), text);
    } finally {
      process.destroyForcibly();
    }
  }
}
