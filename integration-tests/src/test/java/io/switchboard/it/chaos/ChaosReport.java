package io.switchboard.it.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ChaosReport is the suite's report in Markdown: the run, the faults injected, the operations
 * counted, and each invariant with its figures and whether it held.
 */
final class ChaosReport {

  /** One invariant: what it says, the figures that prove or refute it, and whether it held. */
  record Invariant(String statement, String figures, boolean holds) {
  }

  private final StringBuilder text = new StringBuilder();
  private final List<Invariant> invariants = new ArrayList<>();

  ChaosReport heading(String title) {
    text.append("\n## ").append(title).append("\n\n");
    return this;
  }

  ChaosReport line(String line) {
    text.append(line).append('\n');
    return this;
  }

  ChaosReport table(List<String> header, List<List<String>> rows) {
    text.append("| ").append(String.join(" | ", header)).append(" |\n");
    text.append("|").append("---|".repeat(header.size())).append('\n');
    for (List<String> row : rows) {
      text.append("| ").append(String.join(" | ", row.stream().map(ChaosReport::cell).toList()))
          .append(" |\n");
    }
    text.append('\n');
    return this;
  }

  ChaosReport counts(Map<String, Long> counts) {
    List<List<String>> rows = new ArrayList<>();
    counts.forEach((name, count) -> rows.add(List.of(name, String.valueOf(count))));
    return table(List.of("operation", "count"), rows);
  }

  void invariant(String statement, String figures, boolean holds) {
    invariants.add(new Invariant(statement, figures, holds));
  }

  List<Invariant> failed() {
    return invariants.stream().filter(invariant -> !invariant.holds()).toList();
  }

  /** The whole report: the sections written so far, then the invariants. */
  String render(String title, String preamble) {
    List<List<String>> rows = new ArrayList<>();
    for (Invariant invariant : invariants) {
      rows.add(List.of(invariant.statement(), invariant.figures(), invariant.holds() ? "held" : "**FAILED**"));
    }
    StringBuilder all = new StringBuilder("# ").append(title).append("\n\n").append(preamble).append('\n');
    all.append("\n## Invariants\n\n");
    all.append(failed().isEmpty() ? "Every invariant held.\n\n" : failed().size() + " invariant(s) failed.\n\n");
    ChaosReport table = new ChaosReport();
    table.table(List.of("invariant", "figures", "result"), rows);
    all.append(table.text).append(text);
    return all.toString();
  }

  static void write(Path path, String report) {
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.writeString(path, report, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("Could not write the report to " + path, e);
    }
  }

  private static String cell(String value) {
    return value.replace("|", "\\|").replace("\n", "<br>");
  }
}
