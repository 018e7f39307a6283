package dev.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A throwaway PostgreSQL cluster under {@code target/pg}: one primary and any number of streaming
 * standbys. Every cluster is stopped when closed and, as a safety net, when the JVM exits; clusters
 * orphaned by a killed JVM are reaped the next time one starts.
 *
 * <pre>{@code
 * try (PostgresCluster cluster = PostgresCluster.start("budget")) {
 *   PostgresNode standby = cluster.addStandby();
 *   cluster.primary().crash();
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {

  private final String name;
  private final Path dir;
  private final boolean durable;
  private final PostgresNode primary;
  private final List<PostgresNode> standbys = new ArrayList<>();

  private PostgresCluster(String name, Path dir, boolean durable, PostgresNode primary) {
    this.name = name;
    this.dir = dir;
    this.durable = durable;
    this.primary = primary;
  }

  /** Starts a new cluster tuned for tests ({@code fsync=off}; a kill -9 still loses nothing). */
  public static PostgresCluster start(String name) {
    return start(name, false);
  }

  /**
   * Starts a new cluster; {@code durable} keeps {@code fsync=on}, as benchmarks and measurements of
   * recovery need.
   */
  public static PostgresCluster start(String name, boolean durable) {
    ClusterRegistry.reapOrphans(baseDir());
    Path dir = baseDir().resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(dir);
      Commands.giveToServerUser(dir);
      ClusterRegistry.markOwned(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    PostgresNode primary =
        new PostgresNode(name + "-primary", dir.resolve("primary"), FreePorts.next());
    PostgresCluster cluster = new PostgresCluster(name, dir, durable, primary);
    ClusterRegistry.register(cluster);
    try {
      mkdirForServer(dir.resolve("primary"));
      Commands.run(
          Commands.asServerUser(
              List.of(
                  PostgresBinaries.tool("initdb"),
                  "-D",
                  primary.dataDir().toString(),
                  "-U",
                  "postgres",
                  "--auth=trust",
                  "--encoding=UTF8",
                  "--locale=C",
                  "--no-sync")),
          Duration.ofSeconds(120));
      primary.appendConfig(serverSettings(primary.port(), durable));
      primary.start();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  public PostgresNode primary() {
    return primary;
  }

  public List<PostgresNode> standbys() {
    return List.copyOf(standbys);
  }

  /** The directory that holds every node of this cluster. */
  public Path directory() {
    return dir;
  }

  /**
   * Adds a streaming standby cloned from the primary with {@code pg_basebackup -R}, and waits until
   * it streams WAL.
   */
  public synchronized PostgresNode addStandby() {
    int index = standbys.size() + 1;
    PostgresNode standby =
        new PostgresNode(
            name + "-standby" + index, dir.resolve("standby" + index), FreePorts.next());
    mkdirForServer(dir.resolve("standby" + index));
    Commands.run(
        Commands.asServerUser(
            List.of(
                PostgresBinaries.tool("pg_basebackup"),
                "-h",
                primary.host(),
                "-p",
                Integer.toString(primary.port()),
                "-U",
                "postgres",
                "-D",
                standby.dataDir().toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync")),
        Duration.ofSeconds(180));
    standby.appendConfig("port = " + standby.port());
    standbys.add(standby);
    standby.start();
    standby.awaitCondition(
        "streams WAL from the primary",
        Duration.ofSeconds(60),
        () -> "streaming".equals(standby.queryValue("SELECT status FROM pg_stat_wal_receiver")));
    return standby;
  }

  /** Stops every node immediately and deletes the cluster's files. */
  @Override
  public synchronized void close() {
    List<PostgresNode> nodes = new ArrayList<>(standbys);
    nodes.add(primary);
    for (PostgresNode node : nodes) {
      try {
        node.stopImmediately();
      } catch (RuntimeException e) {
        System.err.println("bulwark-testing: could not stop " + node + ": " + e.getMessage());
      }
    }
    ClusterRegistry.unregister(this);
    ClusterRegistry.deleteTree(dir);
  }

  boolean durable() {
    return durable;
  }

  private static volatile Path baseDir;

  /**
   * {@code target/pg} of the module; when we are root and the postgres user cannot enter it (a
   * checkout under a private home directory), a directory of ours under the system temp dir.
   */
  static Path baseDir() {
    Path dir = baseDir;
    if (dir == null) {
      Path preferred = Path.of(System.getProperty("bulwark.pg.dir", "target/pg")).toAbsolutePath();
      dir = preferred;
      if (Commands.runningAsRoot() && !serverUserCanEnter(preferred.getParent())) {
        dir =
            Path.of(System.getProperty("java.io.tmpdir"), "bulwark-pg")
                .resolve(Integer.toHexString(preferred.toString().hashCode()));
        System.err.println(
            "bulwark-testing: the postgres user cannot enter "
                + preferred.getParent()
                + "; clusters go to "
                + dir);
      }
      baseDir = dir;
    }
    return dir;
  }

  private static boolean serverUserCanEnter(Path dir) {
    try {
      Files.createDirectories(dir);
      Commands.run(
          Commands.asServerUser(List.of("test", "-x", dir.toString())), Duration.ofSeconds(10));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void mkdirForServer(Path path) {
    try {
      Files.createDirectories(path);
      Commands.giveToServerUser(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  private static String serverSettings(int port, boolean durable) {
    return String.join(
        "\n",
        "port = " + port,
        "listen_addresses = '127.0.0.1'",
        // No Unix socket: socket paths are limited to 107 characters and we only use TCP.
        "unix_socket_directories = ''",
        "max_connections = 200",
        "wal_level = replica",
        "max_wal_senders = 10",
        "max_replication_slots = 10",
        "hot_standby = on",
        "wal_keep_size = '256MB'",
        "fsync = " + (durable ? "on" : "off"),
        "log_line_prefix = '%m [%p] '",
        "log_min_messages = warning");
  }
}
