package dev.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One PostgreSQL server (a primary or a streaming standby) of a {@link PostgresCluster}, running
 * from the machine's binaries on a loopback port, with trust authentication for user {@code
 * postgres}.
 */
public final class PostgresNode {

  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String name;
  private final Path dir;
  private final int port;

  PostgresNode(String name, Path dir, int port) {
    this.name = name;
    this.dir = dir;
    this.port = port;
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** The data directory ({@code PGDATA}). */
  public Path dataDir() {
    return dir.resolve("data");
  }

  /** The server's log file, handy when a test fails. */
  public Path logFile() {
    return dir.resolve("postgres.log");
  }

  public String host() {
    return "127.0.0.1";
  }

  public String user() {
    return "postgres";
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  /** A URL for the Vert.x reactive client, as Quarkus's {@code datasource.reactive.url} wants. */
  public String reactiveUrl(String database) {
    return "postgresql://" + host() + ":" + port + "/" + database;
  }

  /** Starts the server and waits until it accepts connections (after crash recovery if any). */
  public PostgresNode start() {
    Commands.run(
        Commands.asServerUser(
            List.of(
                PostgresBinaries.tool("pg_ctl"),
                "-D",
                dataDir().toString(),
                "-l",
                logFile().toString(),
                "-w",
                "-t",
                Long.toString(START_TIMEOUT.toSeconds()),
                "start")),
        START_TIMEOUT.plusSeconds(10));
    awaitCondition("accepts connections", START_TIMEOUT, this::acceptsConnections);
    return this;
  }

  /** A clean, fast shutdown: sessions are ended, a checkpoint is written. */
  public void stop() {
    Optional<ProcessHandle> running = postmaster();
    if (running.isPresent()) {
      Commands.run(
          Commands.asServerUser(
              List.of(
                  PostgresBinaries.tool("pg_ctl"),
                  "-D",
                  dataDir().toString(),
                  "-m",
                  "fast",
                  "-w",
                  "stop")),
          Duration.ofSeconds(60));
      awaitExit(running.get());
    }
  }

  /** pg_ctl returns once postmaster.pid is gone; the process itself may take a moment longer. */
  private void awaitExit(ProcessHandle process) {
    awaitCondition("exits", Duration.ofSeconds(30), () -> !process.isAlive());
  }

  /** Kills the postmaster and every backend with SIGKILL, as an OOM killer or a lost node would. */
  public void crash() {
    Optional<ProcessHandle> postmaster = postmaster();
    if (postmaster.isEmpty()) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>();
    all.add(postmaster.get());
    postmaster.get().descendants().forEach(all::add);
    all.forEach(ProcessHandle::destroyForcibly);
    awaitCondition(
        "all processes gone after kill -9",
        Duration.ofSeconds(30),
        () -> all.stream().noneMatch(ProcessHandle::isAlive));
  }

  /** Stops immediately (no checkpoint); used for cleanup, where speed matters more than grace. */
  void stopImmediately() {
    Optional<ProcessHandle> running = postmaster();
    if (running.isPresent()) {
      try {
        Commands.run(
            Commands.asServerUser(
                List.of(
                    PostgresBinaries.tool("pg_ctl"),
                    "-D",
                    dataDir().toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop")),
            Duration.ofSeconds(30));
        awaitExit(running.get());
      } catch (RuntimeException e) {
        crash();
      }
    }
  }

  /** Whether a live postmaster owns this data directory. */
  public boolean isRunning() {
    return postmaster().map(ProcessHandle::isAlive).orElse(false);
  }

  /** The live postmaster, if the pid in {@code postmaster.pid} still names a postgres process. */
  private Optional<ProcessHandle> postmaster() {
    return postmasterPid()
        .flatMap(ProcessHandle::of)
        .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(true));
  }

  /** The postmaster's pid, read from {@code postmaster.pid}. */
  public Optional<Long> postmasterPid() {
    Path pidFile = dataDir().resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Opens a JDBC connection as the superuser; the caller closes it. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), user(), "");
  }

  /** Runs one or more statements in database {@code postgres}. */
  public void execute(String sql) {
    execute("postgres", sql);
  }

  public void execute(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query in database {@code postgres}, or null. */
  public String queryValue(String sql) {
    return queryValue("postgres", sql);
  }

  public String queryValue(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": " + e.getMessage(), e);
    }
  }

  public void createDatabase(String database) {
    execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
  }

  /** Whether this node is a standby in recovery. */
  public boolean isInRecovery() {
    return "true".equals(queryValue("SELECT pg_is_in_recovery()::text"));
  }

  /** Promotes a standby to primary and waits until it leaves recovery. */
  public void promote() {
    Commands.run(
        Commands.asServerUser(
            List.of(PostgresBinaries.tool("pg_ctl"), "-D", dataDir().toString(), "-w", "promote")),
        Duration.ofSeconds(60));
    awaitCondition("leaves recovery", Duration.ofSeconds(60), () -> !isInRecovery());
  }

  boolean acceptsConnections() {
    try (Connection connection = connect("postgres")) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  void appendConfig(String lines) {
    try {
      Files.writeString(
          dataDir().resolve("postgresql.conf"),
          "\n# bulwark-testing\n" + lines + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls a condition until it holds; fails with the server's log tail when it never does. */
  void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    long pauseMillis = 10;
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            name
                + " never "
                + what
                + " within "
                + timeout.toSeconds()
                + " s; log tail:\n"
                + logTail());
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting until " + name + " " + what, e);
      }
      pauseMillis = Math.min(200, pauseMillis * 2);
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + logFile() + ")";
    }
  }

  @Override
  public String toString() {
    return name + "@" + host() + ":" + port;
  }
}
