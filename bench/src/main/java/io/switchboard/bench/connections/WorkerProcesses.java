package io.switchboard.bench.connections;

import io.switchboard.bench.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * WorkerProcesses are the client processes of one connections run, each a {@link ConnectionsWorker}
 * started from this jar with its share of the WebSockets and streams. They hold their connections
 * until {@link #close} closes their standard input.
 */
final class WorkerProcesses {

  private final List<Process> workers = new ArrayList<>();
  private final List<BufferedReader> outputs = new ArrayList<>();

  private WorkerProcesses() {
  }

  /**
   * Starts as many workers as {@code perProcess} connections each require: the WebSockets first,
   * then the streams, every worker spreading its share over {@code sourceIps}.
   */
  static WorkerProcesses launch(String wsUrl, String sseUrl, int websockets, int streams, int perProcess,
      List<String> sourceIps) throws Exception {
    WorkerProcesses launched = new WorkerProcesses();
    int processes = count(websockets, streams, perProcess);
    int wsLeft = websockets;
    int sseLeft = streams;
    for (int p = 0; p < processes; p++) {
      int share = Math.min(perProcess, wsLeft + sseLeft);
      int ws = Math.min(share, wsLeft);
      int sse = share - ws;
      wsLeft -= ws;
      sseLeft -= sse;
      launched.start(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", ownJar(),
          Main.class.getName(), ConnectionsWorker.COMMAND,
          "--ws-url", wsUrl, "--sse-url", sseUrl,
          "--websockets", Integer.toString(ws), "--streams", Integer.toString(sse),
          "--source-ips", String.join(",", sourceIps)));
    }
    return launched;
  }

  /** How many workers open {@code websockets} and {@code streams}, at most {@code perProcess} each. */
  static int count(int websockets, int streams, int perProcess) {
    return (websockets + streams + perProcess - 1) / perProcess;
  }

  private void start(List<String> cmd) throws IOException {
    Process worker = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    workers.add(worker);
    outputs.add(new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8)));
  }

  /** Waits for every worker's report; fails if one ends without reporting. */
  WorkerReport awaitReports() throws IOException {
    WorkerReport total = WorkerReport.NONE;
    for (BufferedReader out : outputs) {
      total = total.plus(WorkerReport.parse(out.readLine()));
    }
    return total;
  }

  /** Closes every worker's input, which ends it, and kills one that has not ended 20 s later. */
  void close() throws IOException, InterruptedException {
    for (Process w : workers) {
      w.getOutputStream().close();
    }
    for (Process w : workers) {
      if (!w.waitFor(20, TimeUnit.SECONDS)) {
        w.destroyForcibly();
      }
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static String ownJar() throws Exception {
    return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
