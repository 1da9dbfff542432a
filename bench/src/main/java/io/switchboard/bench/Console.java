package io.switchboard.bench;

import java.io.PrintStream;

/**
 * Console is the tool's standard output: the one-line summaries and the report paths, which are the
 * product of a command-line tool rather than logs. Progress and diagnostics go through SLF4J.
 */
public final class Console {

  private static final PrintStream OUT = System.out;

  private Console() {
  }

  public static void line(String text) {
    OUT.println(text);
    OUT.flush();
  }
}
