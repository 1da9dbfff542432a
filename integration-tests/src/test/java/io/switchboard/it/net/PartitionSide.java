package io.switchboard.it.net;

import io.switchboard.it.ServiceProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PartitionSide is one network namespace of a {@link NetworkPartition}: an address of its own,
 * reached from the test's namespace through a veth pair, where service processes run. Processes on
 * one side reach each other on that address; the test reaches them on it too, split or not.
 */
public final class PartitionSide {

  private final NetworkPartition partition;
  private final int index;
  private final String namespace;
  private final String address;
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final List<LoopbackForward> forwards = new ArrayList<>();

  PartitionSide(NetworkPartition partition, int index, String namespace, String address) {
    this.partition = partition;
    this.index = index;
    this.namespace = namespace;
    this.address = address;
  }

  public int index() {
    return index;
  }

  /** The network namespace's name, for {@code ip netns exec}. */
  public String namespace() {
    return namespace;
  }

  /** This side's IPv4 address: its processes' {@code CLUSTER_HOST}, reachable from the test. */
  public String address() {
    return address;
  }

  /**
   * Starts a module's packaged jar on this side: {@code start("sse-a", "sse-service", env)}. The
   * process gets {@code CLUSTER_NAME} of the partition, this side's address as {@code CLUSTER_HOST},
   * every side's address as {@code CLUSTER_MEMBERS} and {@code HTTP_PORT=0}; {@code env} adds to or
   * overrides those. The process is killed when the partition closes.
   */
  public ServiceProcess start(String name, String module, Map<String, String> env) {
    return start(name, ServiceProcess.jar(module, module), env, ServiceProcess.JVM_OPTIONS);
  }

  /** Starts a jar on this side with JVM options of its own; see {@link #start(String, String, Map)}. */
  public ServiceProcess start(String name, Path jar, Map<String, String> env, List<String> jvmOptions) {
    Map<String, String> all = new HashMap<>();
    all.put("CLUSTER_NAME", partition.clusterName());
    all.put("CLUSTER_HOST", address);
    all.put("CLUSTER_MEMBERS", partition.seeds());
    all.put("HTTP_PORT", "0");
    all.putAll(env);
    ServiceProcess process = ServiceProcess.start(name, jar, all, jvmOptions,
        List.of("ip", "netns", "exec", namespace));
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  /**
   * A port on 127.0.0.1 of the test's namespace relayed to {@code port} on this side, for the
   * helpers that speak to loopback only; the relay lives until the partition closes.
   */
  public int forward(int port) {
    LoopbackForward forward = new LoopbackForward(address, port);
    synchronized (forwards) {
      forwards.add(forward);
    }
    return forward.port();
  }

  /** Kills this side's processes and relays. */
  void stop() {
    synchronized (forwards) {
      forwards.forEach(LoopbackForward::close);
      forwards.clear();
    }
    synchronized (processes) {
      processes.forEach(ServiceProcess::close);
      processes.clear();
    }
  }

  @Override
  public String toString() {
    return namespace + "(" + address + ")";
  }
}
