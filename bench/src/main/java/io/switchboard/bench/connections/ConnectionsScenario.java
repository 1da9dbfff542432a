package io.switchboard.bench.connections;

import io.switchboard.bench.Args;
import io.switchboard.bench.Machine;
import io.switchboard.bench.Main;
import io.switchboard.bench.Result;
import io.switchboard.bench.Scenario;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConnectionsScenario opens idle WebSockets and SSE streams to one gateway up to a total, from as
 * many worker processes as the per-process open-file limit requires and from several 127.0.0.x
 * source addresses (each has its own ephemeral port range), and reports the gateway's resident and
 * live-heap memory per connection and the connect rate.
 */
public final class ConnectionsScenario implements Scenario {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionsScenario.class);

  @Override
  public String name() {
    return "connections";
  }

  @Override
  public Future<Result> run(Vertx vertx, Args args) {
    return vertx.executeBlocking(() -> runBlocking(args), false);
  }

  private Result runBlocking(Args args) throws Exception {
    int websockets = args.integer("websockets", 1000);
    int streams = args.integer("streams", 0);
    long pid = Long.parseLong(args.required("gateway-pid"));
    long ownLimit = Machine.openFileLimit(false);
    // Headroom for the JVM's own files (jars, epoll, pipes) in each worker.
    int perProcess = args.integer("per-process", (int) Math.max(1000, Math.min(ownLimit, 1_000_000) - 1000));
    List<String> sourceIps = args.list("source-ips", "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5");
    GatewayProbe probe = new GatewayProbe(pid);
    Result result = Result.of(name(), args.string("system", "gateway pid " + pid), args)
        .extra("websockets", websockets).extra("streams", streams).extra("sourceIps", String.join(",", sourceIps))
        .extra("perProcess", perProcess).extra("clientOpenFilesLimit", ownLimit);

    JsonObject before = probe.sample();
    LOG.info("connections: gateway {} before: {}", pid, before.encode());
    int total = websockets + streams;
    int processes = (total + perProcess - 1) / perProcess;
    List<Process> workers = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    int wsLeft = websockets;
    int sseLeft = streams;
    long started = System.nanoTime();
    for (int p = 0; p < processes; p++) {
      int share = Math.min(perProcess, wsLeft + sseLeft);
      int ws = Math.min(share, wsLeft);
      int sse = share - ws;
      wsLeft -= ws;
      sseLeft -= sse;
      List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", ownJar(),
          Main.class.getName(), ConnectionsWorker.COMMAND,
          "--ws-url", args.string("ws-url", "ws://127.0.0.1:8080/ws/echo"),
          "--sse-url", args.string("sse-url", "http://127.0.0.1:8080/sse/idle"),
          "--websockets", Integer.toString(ws), "--streams", Integer.toString(sse),
          "--source-ips", String.join(",", sourceIps)));
      Process worker = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      workers.add(worker);
      outputs.add(new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8)));
    }
    LOG.info("connections: {} WebSockets and {} streams from {} worker process(es) over {}", websockets, streams,
        processes, sourceIps);
    long opened = 0;
    long failed = 0;
    double slowest = 0;
    try {
      for (BufferedReader out : outputs) {
        String line = out.readLine();
        if (line == null || !line.startsWith("opened ")) {
          throw new IllegalStateException("a connections worker ended without reporting: " + line);
        }
        String[] f = line.split(" ");
        opened += Long.parseLong(f[1]);
        failed += Long.parseLong(f[3]);
        slowest = Math.max(slowest, Double.parseDouble(f[5]));
      }
      double wall = (System.nanoTime() - started) / 1e9;
      Thread.sleep(args.seconds("hold", 3).toMillis());
      JsonObject after = probe.sample();
      LOG.info("connections: gateway {} after: {}", pid, after.encode());
      long rssDelta = after.getLong("rssKiB") - before.getLong("rssKiB");
      long heapDelta = after.getLong("heapUsedKiB") - before.getLong("heapUsedKiB");
      boolean heapKnown = after.getLong("heapUsedKiB") >= 0 && before.getLong("heapUsedKiB") >= 0;
      double rssPer = opened == 0 ? 0 : rssDelta * 1024.0 / opened;
      // A process that is not a JVM (a Node peer) has no heap jcmd can read: reported as unknown.
      double heapPer = opened == 0 || !heapKnown ? Double.NaN : heapDelta * 1024.0 / opened;
      double rate = slowest == 0 ? 0 : opened / slowest;
      return result.throughput(rate, "connects/s", opened, slowest)
          .errors(failed)
          .extra("opened", opened).extra("failed", failed).extra("processes", processes)
          .extra("wallSecondsIncludingJvmStart", wall)
          .extra("gatewayBefore", before).extra("gatewayAfter", after)
          .extra("rssBytesPerConnection", rssPer)
          .extra("heapBytesPerConnection", Double.isNaN(heapPer) ? null : heapPer)
          .extra("summary", String.format(Locale.ROOT,
              "%d open (%d failed), RSS %.1f KiB/conn, live heap %s KiB/conn, server open files %d of %d",
              opened, failed, rssPer / 1024,
              Double.isNaN(heapPer) ? "n/a" : String.format(Locale.ROOT, "%.1f", heapPer / 1024),
              after.getLong("openFiles"), after.getLong("openFilesHardLimit")));
    } finally {
      for (Process w : workers) {
        w.getOutputStream().close();
      }
      for (Process w : workers) {
        if (!w.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          w.destroyForcibly();
        }
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
