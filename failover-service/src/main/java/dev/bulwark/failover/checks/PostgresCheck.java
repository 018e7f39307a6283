package dev.bulwark.failover.checks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks a PostgreSQL member over one JDBC connection that it keeps between checks (a fresh connect
 * per 100 ms tick would cost more than the check) and reopens after any failure. Also promotes and
 * fences the member, on connections of their own.
 */
public final class PostgresCheck implements MemberCheck {

  /** Our sessions' name on the member, so that an operator (and a test) can tell them apart. */
  public static final String APPLICATION_NAME = "bulwark-failover";

  // pg_current_wal_lsn() fails on a standby, hence the CASE; the read-only setting tells a fenced
  // member whose fencing took effect. Out of recovery, the name of the WAL file being written
  // begins with the timeline the member writes on (the one its promotion started).
  private static final String CHECK =
      """
      SELECT pg_is_in_recovery(),
             CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END,
             pg_last_wal_receive_lsn()::text,
             pg_last_wal_replay_lsn()::text,
             current_setting('default_transaction_read_only'),
             CASE WHEN pg_is_in_recovery() THEN NULL
                  ELSE pg_walfile_name(pg_current_wal_lsn()) END""";

  private static final String TERMINATE_CLIENTS =
      """
      SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
      WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()""";

  private final String jdbcUrl;
  private final String username;
  private final Optional<String> password;
  private final Duration timeout;
  private volatile Connection connection;
  private final AtomicReference<CompletableFuture<Connection>> prepared = new AtomicReference<>();

  /** SQLSTATE 55000 object_not_in_prerequisite_state: pg_promote on a member out of recovery. */
  private static final String NOT_IN_RECOVERY = "55000";

  public PostgresCheck(String url, String username, Optional<String> password, Duration timeout) {
    this.jdbcUrl = url.startsWith("jdbc:") ? url : "jdbc:" + url;
    this.username = username;
    this.password = password;
    this.timeout = timeout;
  }

  @Override
  public CheckResult check() {
    long started = System.nanoTime();
    try {
      Connection open = connection();
      try (Statement statement = open.createStatement();
          ResultSet row = statement.executeQuery(CHECK)) {
        row.next();
        PostgresFacts facts =
            new PostgresFacts(
                row.getBoolean(1),
                PostgresFacts.lsn(row.getString(2)),
                PostgresFacts.lsn(row.getString(3)),
                PostgresFacts.lsn(row.getString(4)),
                "on".equals(row.getString(5)),
                PostgresFacts.timeline(row.getString(6)));
        return CheckResult.up(facts, Duration.ofNanos(System.nanoTime() - started));
      }
    } catch (SQLException | RuntimeException e) {
      abort();
      return CheckResult.down(describe(e), Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /**
   * Promotes the member and waits until it leaves recovery; true when it is out of recovery (also
   * when it already was: promoting again is harmless).
   */
  public boolean promote(Duration wait) throws SQLException {
    Optional<Connection> prepared = takePrepared(wait);
    if (prepared.isPresent()) {
      try (Connection open = prepared.get()) {
        return promote(open, wait);
      } catch (SQLException e) {
        // Opened before the primary failed, it may have been cut since: a fresh one decides.
      }
    }
    try (Connection open = open(wait.plusSeconds(5))) {
      return promote(open, wait);
    }
  }

  /**
   * Opens the connection the next {@link #promote} uses, in the background, once the primary failed
   * a check: a promotion then need not connect first, which costs tens of milliseconds on a loaded
   * machine (the compare-and-swap on the epoch still comes before it). Kept until a promotion uses
   * it or the check closes.
   */
  public void prepareToPromote(Executor executor) {
    prepared.compareAndSet(
        null,
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return open(timeout.plusSeconds(5));
              } catch (SQLException e) {
                throw new CompletionException(e);
              }
            },
            executor));
  }

  private Optional<Connection> takePrepared(Duration wait) {
    CompletableFuture<Connection> opening = prepared.getAndSet(null);
    if (opening == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(opening.get(wait.toNanos(), TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException e) {
      opening.thenAccept(PostgresCheck::closeQuietly);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  // No pg_is_in_recovery() first: pg_promote says so itself, and a round trip less is faster.
  private static boolean promote(Connection open, Duration wait) throws SQLException {
    try (Statement statement = open.createStatement()) {
      try (ResultSet row =
          statement.executeQuery(
              "SELECT pg_promote(wait => true, wait_seconds => "
                  + Math.max(1, wait.toSeconds())
                  + ")")) {
        row.next();
        return row.getBoolean(1);
      } catch (SQLException e) {
        if (!NOT_IN_RECOVERY.equals(e.getSQLState())) {
          throw e;
        }
      }
      // Out of recovery already ("recovery is not in progress"): promoting again is harmless.
      try (ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
        row.next();
        return !row.getBoolean(1);
      }
    }
  }

  /**
   * Makes the member refuse writes: read-only by default from now on (persisted with ALTER SYSTEM,
   * so also after a restart) and every client session ended, so that none keeps writing in a
   * session opened before. Returns how many sessions it ended.
   */
  public int fence() throws SQLException {
    try (Connection open = open(timeout.plusSeconds(5));
        Statement statement = open.createStatement()) {
      statement.execute("ALTER SYSTEM SET default_transaction_read_only = on");
      statement.execute("SELECT pg_reload_conf()");
      try (ResultSet row = statement.executeQuery(TERMINATE_CLIENTS)) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  @Override
  public void close() {
    abort();
    CompletableFuture<Connection> opening = prepared.getAndSet(null);
    if (opening != null) {
      opening.thenAccept(PostgresCheck::closeQuietly);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Dropped either way.
    }
  }

  @Override
  public void abort() {
    Connection open = connection;
    connection = null;
    if (open != null) {
      try {
        open.close();
      } catch (SQLException | RuntimeException e) {
        // Closing a broken connection fails; it is dropped either way.
      }
    }
  }

  private Connection connection() throws SQLException {
    Connection open = connection;
    if (open == null) {
      open = open(timeout);
      connection = open;
    }
    return open;
  }

  /** pgjdbc's timeouts are whole seconds; sub-second timeouts are enforced by the caller. */
  private Connection open(Duration bound) throws SQLException {
    String seconds = Long.toString(Math.max(1, (bound.toMillis() + 999) / 1000));
    Properties properties = new Properties();
    properties.setProperty("user", username);
    password.ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("connectTimeout", seconds);
    properties.setProperty("loginTimeout", seconds);
    properties.setProperty("socketTimeout", seconds);
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    properties.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  // The driver's messages name host and port, never the password.
  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
