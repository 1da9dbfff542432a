package io.switchboard.it.chaos;

import io.switchboard.it.Http;
import io.switchboard.it.ServiceProcess;
import io.switchboard.it.net.NetworkPartition;
import io.switchboard.it.net.PartitionSide;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * ChaosCluster runs the chaos suite's cluster as packaged jars, one process per member: gateways,
 * sse-service, signaling-service and an echo service, each in a network namespace of its own
 * ({@link NetworkPartition}), so that any member can be cut off from the others. It restarts a
 * member in place, as a supervisor would, and keeps the gateways in rotation the way a load
 * balancer does; the test reaches each gateway through a port relayed to loopback.
 */
final class ChaosCluster implements AutoCloseable {

  /** Generous: eight JVMs starting on two cores shared with other builds take minutes. */
  static final Duration START = Duration.ofSeconds(300);

  /** A kind of member and the module whose jar it runs. */
  enum Kind {
    GATEWAY("gateway-service"), SSE("sse-service"), SIGNALING("signaling-service"), ECHO("echo-service");

    final String module;

    Kind(String module) {
      this.module = module;
    }
  }

  /**
   * One member: its network namespace, its current process, how many times it was started, and,
   * for a gateway, the loopback port relayed to its HTTP port.
   */
  static final class Member {
    final Kind kind;
    final String name;
    final PartitionSide side;
    volatile ServiceProcess process;
    volatile int port;
    int starts;

    Member(Kind kind, String name, PartitionSide side) {
      this.kind = kind;
      this.name = name;
      this.side = side;
    }

    @Override
    public String toString() {
      return name + " (pid " + process.pid() + ")";
    }
  }

  /**
   * Every member's heap is fixed and touched at start ({@code -Xms} = {@code -Xmx}, pre-touched), so
   * that its resident size does not grow as the heap expands: what grows afterwards is native memory.
   * The client compiler alone and the serial collector keep eight JVMs within two shared cores.
   */
  static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final NetworkPartition network;
  private final Map<String, String> env = new HashMap<>();
  private final List<Member> members = new ArrayList<>();
  /** Gateways in rotation, as a load balancer sees them. */
  private final List<Member> rotation = new CopyOnWriteArrayList<>();
  /** Every process the run started, of either release, for what their logs hold at the end. */
  private final List<ServiceProcess> launched = new CopyOnWriteArrayList<>();
  private final RssSampler rss;
  /** The jar each kind of member runs when it is next launched: this build's, unless told otherwise. */
  private volatile Function<Kind, Path> jars = kind -> ServiceProcess.jar(kind.module, kind.module);
  private volatile String release = "this build";
  private volatile String startedOn;

  ChaosCluster(int gateways, int sse, int signaling, int roomCapacity, RssSampler rss) {
    this.rss = rss;
    int dataMembers = sse + signaling;
    // Every side gets the cluster's name, its own address and every side's address as seeds.
    env.put("CLUSTER_MIN_DATA_MEMBERS", String.valueOf(dataMembers / 2 + 1));
    // Room for a resume after the longest fault: 5000 events or 2 MiB per topic.
    env.put("SSE_HISTORY_SIZE", "5000");
    env.put("SSE_HISTORY_MAX_BYTES_PER_TOPIC", String.valueOf(2 << 20));
    env.put("SSE_REQUEST_TIMEOUT_MS", "3000");
    env.put("SIGNALING_ROOM_CAPACITY", String.valueOf(roomCapacity));
    network = NetworkPartition.create(sse + signaling + 1 + gateways);
    for (int i = 0; i < sse; i++) {
      add(Kind.SSE, "chaos-sse-" + i);
    }
    for (int i = 0; i < signaling; i++) {
      add(Kind.SIGNALING, "chaos-signaling-" + i);
    }
    add(Kind.ECHO, "chaos-echo-0");
    for (int i = 0; i < gateways; i++) {
      add(Kind.GATEWAY, "chaos-gateway-" + i);
    }
  }

  private void add(Kind kind, String name) {
    members.add(new Member(kind, name, network.side(members.size())));
  }

  /**
   * Starts every member, the data members first and then the others, so that fewer JVMs start at
   * once; waits until each gateway sees all of them and is ready.
   */
  void start() {
    startedOn = release;
    List<Member> data = members.stream().filter(m -> m.kind == Kind.SSE || m.kind == Kind.SIGNALING).toList();
    List<Member> rest = members.stream().filter(m -> !data.contains(m)).toList();
    for (List<Member> group : List.of(data, rest)) {
      group.forEach(this::launch);
      group.forEach(this::awaitUp);
    }
    awaitWhole(START);
  }

  /**
   * Launches members from now on with {@code jars}, the build named {@code release}: before
   * {@link #start()} for the whole cluster, or before members are replaced one by one.
   */
  void useRelease(String release, Function<Kind, Path> jars) {
    this.release = release;
    this.jars = jars;
  }

  String release() {
    return release;
  }

  /** The build the cluster started on. */
  String startedOn() {
    return startedOn;
  }

  int minDataMembers() {
    return Integer.parseInt(env.get("CLUSTER_MIN_DATA_MEMBERS"));
  }

  List<Member> members() {
    return List.copyOf(members);
  }

  List<Member> of(Kind kind) {
    return members.stream().filter(member -> member.kind == kind).toList();
  }

  /** The ports of the gateways in rotation. */
  List<Integer> ports() {
    return rotation.stream().map(member -> member.port).toList();
  }

  /** Takes a gateway out of rotation before it is stopped, as a load balancer does on a failed /ready. */
  void outOfRotation(Member gateway) {
    rotation.remove(gateway);
  }

  private void launch(Member member) {
    member.starts++;
    String log = logName(member);
    member.process = member.side.start(log, jars.apply(member.kind), env, JVM_OPTIONS);
    ServiceProcess process = member.process;
    launched.add(process);
    rss.track(log, process.pid(), process::isAlive);
  }

  private static String logName(Member member) {
    return member.name + (member.starts == 1 ? "" : "-" + member.starts);
  }

  private void awaitUp(Member member) {
    member.process.awaitStarted(START);
    if (member.kind == Kind.GATEWAY) {
      member.port = member.side.forward(member.process.awaitHttpPort(START));
    }
    rss.up(logName(member));
  }

  /**
   * Starts a new process for a member whose process was stopped or killed, and waits until it has
   * joined (a gateway: until it is ready, and then in rotation); returns when it was launched.
   */
  long restart(Member member) {
    long launched = System.nanoTime();
    launch(member);
    awaitUp(member);
    if (member.kind == Kind.GATEWAY) {
      Http.poll(member.port, "/ready", response -> response.statusCode() == 200, START);
      rotation.add(member);
    }
    return launched;
  }

  /**
   * Waits until every gateway answers {@code /ready} with 200 and counts every member in its
   * cluster; returns how long that took. Gateways that are up but out of rotation come back in.
   */
  long awaitWhole(Duration timeout) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    List<String> last = List.of();
    while (System.nanoTime() < deadline) {
      last = notWhole();
      if (last.isEmpty()) {
        for (Member gateway : of(Kind.GATEWAY)) {
          if (!rotation.contains(gateway)) {
            rotation.add(gateway);
          }
        }
        return (System.nanoTime() - started) / 1_000_000;
      }
      ServiceProcess.pause(250);
    }
    throw new AssertionError("Not one whole cluster of " + members.size() + " within " + timeout + ": " + last);
  }

  /** The bus protocol version of each node in a gateway's cluster view; 0 for a node that gives none. */
  List<Integer> protocols() {
    JsonArray nodes = Http.json(Http.get(ports().get(0), "/api/cluster")).getJsonArray("nodes", new JsonArray());
    return nodes.stream().map(node -> ((JsonObject) node).getInteger("protocol", 0)).toList();
  }

  /**
   * Each sign, in any process's log, that a member failed to read what another sent it (a backup,
   * an entry processor, a map value) or refused a message for its protocol version: a layout one
   * release cannot read shows up here even when Hazelcast gets over it.
   */
  List<String> misreads() {
    List<String> found = new ArrayList<>();
    for (ServiceProcess process : launched) {
      String log = process.output();
      for (String sign : List.of("HazelcastSerializationException", "Refusing a message")) {
        if (log.contains(sign)) {
          found.add(process.name() + " logged " + sign);
        }
      }
    }
    return found;
  }

  /** How many processes the run started. */
  int launchedCount() {
    return launched.size();
  }

  /** What each gateway that is not ready, or sees fewer members than run, says. */
  private List<String> notWhole() {
    List<String> problems = new ArrayList<>();
    for (Member gateway : of(Kind.GATEWAY)) {
      try {
        HttpResponse<String> ready = Http.get(gateway.port, "/ready");
        JsonObject body = Http.json(ready);
        int seen = body.getJsonObject("cluster", new JsonObject()).getInteger("members", 0);
        if (ready.statusCode() != 200 || seen != members.size()) {
          problems.add(gateway.name + ": " + ready.statusCode() + " " + seen + " members, missing "
              + body.getValue("missing"));
        }
      } catch (RuntimeException | AssertionError unreachable) {
        problems.add(gateway.name + ": " + unreachable.getMessage());
      }
    }
    return problems;
  }

  /** Cuts {@code member} off from every other member; the test still reaches every side. */
  void isolate(Member member) {
    List<PartitionSide> others = members.stream().filter(other -> other != member)
        .map(other -> other.side).toList();
    network.split(List.of(member.side), others);
  }

  /** Lets every member reach every other again. */
  void heal() {
    network.heal();
  }

  @Override
  public void close() {
    members.forEach(member -> {
      if (member.process != null && member.process.isAlive()) {
        member.process.thaw();
      }
    });
    // Kills every process on the sides, closes the relays and removes the namespaces.
    network.close();
  }
}
