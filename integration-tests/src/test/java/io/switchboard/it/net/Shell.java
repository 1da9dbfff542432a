package io.switchboard.it.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shell runs the {@code ip}, {@code iptables} and {@code kill} commands of the partition fixture. */
final class Shell {

  private Shell() {
  }

  /** Runs a command and returns its output; fails with that output when it exits non-zero. */
  static String run(String... command) {
    Result result = attempt(command);
    if (result.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + result.exit()
          + ": " + result.output());
    }
    return result.output();
  }

  /** Runs a command whose failure is expected at times, such as removing what may not be there. */
  static Result attempt(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }

  record Result(int exit, String output) {
  }
}
