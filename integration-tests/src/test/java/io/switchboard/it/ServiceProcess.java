package io.switchboard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ServiceProcess runs one packaged Switchboard jar as a real process: {@code java -jar} with
 * environment variables only, its output in {@code target/process-logs/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

  /**
   * The JVM options of every process a test starts unless it passes its own: a small heap, the
   * client compiler alone and the serial collector, so that the several JVMs of a test start quickly
   * side by side on a host of two shared cores. The product's defaults are the JVM's own.
   */
  public static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static final Pattern STARTED = Pattern.compile("Started (\\S+) on node (\\S+)");
  private static final Pattern LISTENING = Pattern.compile("listening on [^:\\s]+:(\\d+)");

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The repository root, where each module's target/ holds its jar. */
  public static Path root() {
    return Paths.get(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
  }

  /** The fat jar of a module, for example {@code jar("gateway-service", "gateway-service")}. */
  public static Path jar(String module, String jarName) {
    Path jar = root().resolve(module).resolve("target").resolve(jarName + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("Missing " + jar + ": run the package phase first");
    }
    return jar;
  }

  public static ServiceProcess start(String name, Path jar, Map<String, String> env) {
    return start(name, jar, env, JVM_OPTIONS);
  }

  /** Starts a jar with JVM options of its own, such as a smaller heap, instead of the default. */
  public static ServiceProcess start(String name, Path jar, Map<String, String> env,
      List<String> jvmOptions) {
    return start(name, jar, env, jvmOptions, List.of());
  }

  /**
   * Starts a jar behind a command prefix that must end by executing it in its own place, such as
   * {@code ip netns exec <namespace>}, so the process's id is still the JVM's.
   */
  public static ServiceProcess start(String name, Path jar, Map<String, String> env,
      List<String> jvmOptions, List<String> commandPrefix) {
    try {
      Path logs = root().resolve("integration-tests/target/process-logs");
      Files.createDirectories(logs);
      Path log = logs.resolve(name + ".log");
      List<String> command = new ArrayList<>(commandPrefix);
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-jar");
      command.add(jar.toString());
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(key -> key.startsWith("CLUSTER_")
          || key.startsWith("HTTP_") || key.startsWith("ECHO_") || key.startsWith("SSE_")
          || key.startsWith("SIGNALING_"));
      builder.environment().putAll(env);
      return new ServiceProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new AssertionError("Could not start " + name, e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits for the start-up line and returns the node id it names. */
  public String awaitStarted(Duration timeout) {
    Matcher matcher = awaitOutput(STARTED, timeout);
    return matcher.group(2);
  }

  /** Waits for the gateway's listening line and returns its HTTP port. */
  public int awaitHttpPort(Duration timeout) {
    return Integer.parseInt(awaitOutput(LISTENING, timeout).group(1));
  }

  /** Polls the log until {@code pattern} matches; fails with the log when the process dies. */
  public Matcher awaitOutput(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = pattern.matcher(output());
      if (matcher.find()) {
        return matcher;
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
      }
      pause(100);
    }
    throw new AssertionError(name + " did not print " + pattern + " within " + timeout + ":\n"
        + output());
  }

  /** Sends SIGTERM and waits for a clean exit. */
  public int terminate(Duration timeout) {
    process.destroy();
    return waitFor(timeout);
  }

  /** Sends SIGKILL, as {@code kill -9} would. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** Sends SIGSTOP: the process stops dead, its sockets open, as in a long garbage collection. */
  public void freeze() {
    signal("STOP");
  }

  /** Sends SIGCONT to a frozen process. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
          .inheritIO().start().waitFor();
      if (exit != 0) {
        throw new AssertionError("kill -" + signal + " " + process.pid() + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new AssertionError("Could not send SIG" + signal + " to " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not exit within " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
