package io.switchboard.common.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * After a pause, the process's old member stops before its new one starts. The old member's threads
 * are the only ones that keep the JVM alive, and the watch that notices the pause runs on a daemon
 * thread: the new member must be started on a thread that keeps the process alive, or the JVM exits
 * in between and the service is gone.
 */
class MemberRejoinTest {

  @Test
  void startsTheNewMemberOnANonDaemonThreadSoTheProcessOutlivesItsOldMember() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode old = cluster.startNode();
      AtomicReference<ClusterNode> current = new AtomicReference<>(old);
      AtomicBoolean startedOnDaemon = new AtomicBoolean(true);
      MemberRejoin rejoin = new MemberRejoin("test-service", cluster.config(), current, () -> {
        startedOnDaemon.set(Thread.currentThread().isDaemon());
        return cluster.startNode();
      }, cluster::crashNode);
      // As the pause watch does: a daemon thread notices the pause and rejoins.
      Thread watch = new Thread(() -> rejoin.afterPause(Duration.ofSeconds(10), 2), "pause-watch");
      watch.setDaemon(true);
      watch.start();
      watch.join(Duration.ofSeconds(120).toMillis());
      assertNotSame(old, current.get(), "a new member replaced the old one");
      assertFalse(startedOnDaemon.get(), "the new member was started on a daemon thread");
    }
  }
}
