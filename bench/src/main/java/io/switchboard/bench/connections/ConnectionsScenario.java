package io.switchboard.bench.connections;

import io.switchboard.bench.Args;
import io.switchboard.bench.Machine;
import io.switchboard.bench.Result;
import io.switchboard.bench.Scenario;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
    int processes = WorkerProcesses.count(websockets, streams, perProcess);
    long started = System.nanoTime();
    WorkerProcesses workers = WorkerProcesses.launch(args.string("ws-url", "ws://127.0.0.1:8080/ws/echo"),
        args.string("sse-url", "http://127.0.0.1:8080/sse/idle"), websockets, streams, perProcess, sourceIps);
    LOG.info("connections: {} WebSockets and {} streams from {} worker process(es) over {}", websockets, streams,
        processes, sourceIps);
    try {
      WorkerReport report = workers.awaitReports();
      double wall = (System.nanoTime() - started) / 1e9;
      Thread.sleep(args.seconds("hold", 3).toMillis());
      JsonObject after = probe.sample();
      LOG.info("connections: gateway {} after: {}", pid, after.encode());
      return withCost(result, report, processes, wall, before, after);
    } finally {
      workers.close();
    }
  }

  /** The connect rate, and the gateway's growth in memory from {@code before} to {@code after} per connection. */
  private static Result withCost(Result result, WorkerReport report, int processes, double wall,
      JsonObject before, JsonObject after) {
    long opened = report.opened();
    long rssDelta = after.getLong("rssKiB") - before.getLong("rssKiB");
    long heapDelta = after.getLong("heapUsedKiB") - before.getLong("heapUsedKiB");
    boolean heapKnown = after.getLong("heapUsedKiB") >= 0 && before.getLong("heapUsedKiB") >= 0;
    double rssPer = opened == 0 ? 0 : rssDelta * 1024.0 / opened;
    // A process that is not a JVM (a Node peer) has no heap jcmd can read: reported as unknown.
    double heapPer = opened == 0 || !heapKnown ? Double.NaN : heapDelta * 1024.0 / opened;
    double rate = report.seconds() == 0 ? 0 : opened / report.seconds();
    return result.throughput(rate, "connects/s", opened, report.seconds())
        .errors(report.failed())
        .extra("opened", opened).extra("failed", report.failed()).extra("processes", processes)
        .extra("wallSecondsIncludingJvmStart", wall)
        .extra("gatewayBefore", before).extra("gatewayAfter", after)
        .extra("rssBytesPerConnection", rssPer)
        .extra("heapBytesPerConnection", Double.isNaN(heapPer) ? null : heapPer)
        .extra("summary", String.format(Locale.ROOT,
            "%d open (%d failed), RSS %.1f KiB/conn, live heap %s KiB/conn, server open files %d of %d",
            opened, report.failed(), rssPer / 1024,
            Double.isNaN(heapPer) ? "n/a" : String.format(Locale.ROOT, "%.1f", heapPer / 1024),
            after.getLong("openFiles"), after.getLong("openFilesHardLimit")));
  }
}
