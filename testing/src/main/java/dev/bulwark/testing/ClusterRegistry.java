package dev.bulwark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Makes sure no cluster outlives its JVM: a shutdown hook stops the live ones, and clusters left by
 * a JVM that was killed (whose {@code owner.pid} names a dead process) are reaped at the next
 * start.
 */
final class ClusterRegistry {

  private static final String OWNER_FILE = "owner.pid";
  private static final Set<PostgresCluster> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile boolean hookInstalled;

  private ClusterRegistry() {}

  static void register(PostgresCluster cluster) {
    installHook();
    LIVE.add(cluster);
  }

  static void unregister(PostgresCluster cluster) {
    LIVE.remove(cluster);
  }

  static void markOwned(Path clusterDir) throws IOException {
    Files.writeString(
        clusterDir.resolve(OWNER_FILE),
        Long.toString(ProcessHandle.current().pid()),
        StandardCharsets.UTF_8);
  }

  /** Stops and deletes clusters whose owning JVM no longer runs. */
  static synchronized void reapOrphans(Path baseDir) {
    if (!Files.isDirectory(baseDir)) {
      return;
    }
    try (Stream<Path> clusters = Files.list(baseDir)) {
      for (Path clusterDir : clusters.toList()) {
        if (!ownerAlive(clusterDir)) {
          reap(clusterDir);
        }
      }
    } catch (IOException e) {
      System.err.println("bulwark-testing: cannot scan " + baseDir + ": " + e.getMessage());
    }
  }

  private static boolean ownerAlive(Path clusterDir) {
    try {
      long owner = Long.parseLong(Files.readString(clusterDir.resolve(OWNER_FILE)).trim());
      return ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private static void reap(Path clusterDir) {
    try (Stream<Path> nodes = Files.list(clusterDir)) {
      for (Path nodeDir : nodes.filter(Files::isDirectory).toList()) {
        PostgresNode node = new PostgresNode(nodeDir.getFileName().toString(), nodeDir, 0);
        if (node.isRunning()) {
          System.err.println("bulwark-testing: reaping orphaned cluster in " + nodeDir);
          node.crash();
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("bulwark-testing: cannot reap " + clusterDir + ": " + e.getMessage());
    }
    deleteTree(clusterDir);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("bulwark-testing: cannot delete " + dir + ": " + e.getMessage());
    }
  }

  private static synchronized void installHook() {
    if (hookInstalled) {
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> List.copyOf(LIVE).forEach(PostgresCluster::close),
                "bulwark-testing-cleanup"));
    hookInstalled = true;
  }
}
