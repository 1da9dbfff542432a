package io.switchboard.bench;

import io.switchboard.bench.connections.ConnectionsScenario;
import io.switchboard.bench.connections.ConnectionsWorker;
import io.switchboard.bench.echo.EchoScenario;
import io.switchboard.bench.fanout.FanoutScenario;
import io.switchboard.bench.publish.WsPublishScenario;
import io.switchboard.bench.report.Report;
import io.switchboard.bench.signaling.SignalingRelayScenario;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench command line: {@code java -jar bench.jar <scenario|report> [--option value ...]}.
 * A scenario prints a one-line summary and writes its JSON result to {@code --out}.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private static final String USAGE = """
      usage: java -jar bench.jar <command> [--option value ...]
        echo             --url ws://127.0.0.1:8080/ws/echo --connections 64 --in-flight 8 --size 32
                         --warmup 3 --duration 10
        sse-fanout       --subscribe-url http://127.0.0.1:8080/sse/bench
                         --publish-url http://127.0.0.1:8080/api/topics/bench/events
                         --subscribers 1000 --rate 10 --warmup 2 --duration 10
                         [--stream-loops 1 (client event loops the streams are spread over)]
        ws-fanout        --subscribe-url ws://127.0.0.1:8080/ws/topics --protocol switchboard|socketio
                         --topic bench --publish-url http://127.0.0.1:8080/api/topics/bench/events
                         --subscribers 1000 --rate 10 --warmup 2 --duration 10
        ws-publish       --url ws://127.0.0.1:8080/ws/topics --topic bench-publish --connections 20
                         --rate 1000 (publishes/s over all connections) --warmup 3 --duration 10
        signaling-relay  --protocol switchboard|socketio|peerjs --url-a URL --url-b URL --pairs 50
                         [--rate 1000 (relays/s; omit for as fast as possible)] --warmup 2 --duration 10
        connections      --ws-url ws://127.0.0.1:8080/ws/echo --sse-url http://127.0.0.1:8080/sse/idle
                         --websockets 1000 --streams 0 --gateway-pid PID --source-ips 127.0.0.2,127.0.0.3
                         [--per-process 9000]
        report           --results DIR --out DIR [--title TEXT]
      common options: --system LABEL --round N --out FILE.json --event-loops N
                      --server-pids PID,... (CPU accounting) --native-transport true|false
      """;

  private Main() {
  }

  public static void main(String[] argv) {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
      Console.line(USAGE);
      System.exit(argv.length == 0 ? 2 : 0);
    }
    String command = argv[0];
    Args args;
    try {
      args = Args.parse(Arrays.copyOfRange(argv, 1, argv.length));
      if (command.equals("report")) {
        Report.run(args);
        System.exit(0);
      }
      if (command.equals(ConnectionsWorker.COMMAND)) {
        ConnectionsWorker.main(args);
        return;
      }
      Scenario scenario = switch (command) {
        case "echo" -> new EchoScenario();
        case "sse-fanout" -> FanoutScenario.sse();
        case "ws-fanout" -> FanoutScenario.webSocket();
        case "ws-publish" -> new WsPublishScenario();
        case "signaling-relay" -> new SignalingRelayScenario();
        case "connections" -> new ConnectionsScenario();
        default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
      };
      System.exit(runScenario(scenario, args));
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      LOG.error("{} failed", command, e);
      System.exit(1);
    }
  }

  private static int runScenario(Scenario scenario, Args args) throws Exception {
    int loops = args.integer("event-loops", Runtime.getRuntime().availableProcessors());
    // The native transport, when it loads, lowers the load tool's own share of a shared machine.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
        .setPreferNativeTransport(!args.string("native-transport", "true").equals("false"))
        .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
    try {
      long timeoutSeconds = args.integer("timeout", 600);
      Result result = scenario.run(vertx, args).toCompletionStage().toCompletableFuture()
          .get(timeoutSeconds, TimeUnit.SECONDS);
      Path out = Path.of(args.string("out", "bench-results/" + scenario.name() + "--"
          + result.system().replaceAll("[^A-Za-z0-9._-]", "_") + ".json"));
      result.write(out);
      Console.line(result.summary());
      return 0;
    } finally {
      // Closing ten thousand sockets can take a while on a busy machine; the result is written.
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        LOG.warn("the load tool's sockets did not all close within 60 s");
      }
    }
  }
}
