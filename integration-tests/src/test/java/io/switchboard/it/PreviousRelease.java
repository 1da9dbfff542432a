package io.switchboard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PreviousRelease is the build of an earlier commit of this repository, for tests that run its
 * service jars beside this one's: the files of the commit ({@code git archive}) packaged offline
 * with Maven under {@code integration-tests/target/previous-release/<commit>}, kept there so that a
 * second run does not build again. It needs the commit in the clone's history, so a shallow clone
 * fails here with what to fetch.
 */
public final class PreviousRelease {

  /** The last commit on main before the bus had a protocol version: the release upgraded from. */
  public static final String BEFORE_BUS_PROTOCOL = "516c67726a75490071f5f2779c1806a76e888100";

  private static final List<String> SERVICES = List.of("gateway-service", "echo-service", "sse-service",
      "signaling-service");
  private static final long BUILD_MINUTES = 10;

  private final String commit;
  private final Path home;

  /** The commit's first 7 characters, as Git abbreviates it. */
  public String shortCommit() {
    return commit.substring(0, 7);
  }

  private PreviousRelease(String commit, Path home) {
    this.commit = commit;
    this.home = home;
  }

  /** The release at {@code commit}, built now unless a build of it is kept. */
  public static PreviousRelease of(String commit) {
    Path dir = ServiceProcess.root().resolve("integration-tests/target/previous-release");
    PreviousRelease release = new PreviousRelease(commit, dir.resolve(commit));
    if (!Files.isRegularFile(release.home.resolve(".built"))) {
      release.build(dir);
    }
    return release;
  }

  /** The fat jar of one of its services, for example {@code jar("sse-service")}. */
  public Path jar(String module) {
    Path jar = home.resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("The build of " + commit + " in " + home + " has no " + jar);
    }
    return jar;
  }

  private void build(Path dir) {
    Path root = ServiceProcess.root();
    if (run(root, dir.resolve(commit + "-check.log"), "git", "cat-file", "-e", commit + "^{commit}") != 0) {
      throw new AssertionError("Commit " + commit + ", the previous release that the upgrade is tested"
          + " from, is not in the clone at " + root + ": clone with full history (git fetch --unshallow)");
    }
    Path work = dir.resolve(commit + ".building");
    Path log = dir.resolve(commit + "-build.log");
    try {
      deleteTree(work);
      Files.createDirectories(work);
      String archive = "git -C '" + root + "' archive " + commit + " | tar -x -C '" + work + "'";
      if (run(root, log, "sh", "-c", archive) != 0) {
        throw new AssertionError("Could not extract " + commit + ": see " + log);
      }
      // Offline, with tests skipped: only the services' fat jars are needed, and nothing is installed.
      if (run(work, log, "mvn", "-B", "-o", "-q", "-Dmaven.test.skip=true", "package", "-pl",
          String.join(",", SERVICES), "-am") != 0) {
        throw new AssertionError("The build of " + commit + " failed: see " + log);
      }
      Files.writeString(work.resolve(".built"), commit + "\n");
      deleteTree(home);
      Files.move(work, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AssertionError("Could not build " + commit + " in " + work, e);
    }
  }

  private static int run(Path dir, Path log, String... command) {
    try {
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " took over " + BUILD_MINUTES + " minutes");
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new AssertionError("Could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public String toString() {
    return "release " + commit;
  }
}
