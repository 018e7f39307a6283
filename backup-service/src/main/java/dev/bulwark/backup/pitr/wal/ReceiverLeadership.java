package dev.bulwark.backup.pitr.wal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Which replica archives WAL: the one holding a session advisory lock in Bulwark's own store, on a
 * connection kept open for as long as it archives. Common's {@code Jobs.onOneReplica} takes its
 * lock per run, with a time limit, which fits short jobs but not a receiver that runs for days; a
 * session lock is held until its connection ends, so a replica that dies or loses the store loses
 * the lock, and another takes over. Two replicas never receive at once: a replica that cannot prove
 * it still holds the lock stops its receivers first.
 */
final class ReceiverLeadership implements AutoCloseable {

  // pg_try_advisory_lock's key: an arbitrary constant of this lock alone ("pitrwal" in ASCII).
  static final long LOCK_KEY = 0x70_69_74_72_77_61_6cL;

  private final String jdbcUrl;
  private final Optional<String> username;
  private final Optional<String> password;
  private Optional<Connection> held = Optional.empty();

  ReceiverLeadership(String jdbcUrl, Optional<String> username, Optional<String> password) {
    this.jdbcUrl = jdbcUrl;
    this.username = username;
    this.password = password;
  }

  /**
   * Whether this replica leads now: checks that the lock's connection still answers, or tries to
   * take the lock.
   */
  synchronized boolean holds() {
    if (held.isPresent()) {
      try {
        if (held.get().isValid(5)) {
          return true;
        }
      } catch (SQLException e) {
        // not valid: released below
      }
      release();
    }
    try {
      Connection connection = connect();
      if (tryLock(connection)) {
        held = Optional.of(connection);
        return true;
      }
      connection.close();
    } catch (SQLException e) {
      // the store is unreachable: not leading
    }
    return false;
  }

  synchronized void release() {
    held.ifPresent(
        c -> {
          try {
            c.close();
          } catch (SQLException e) {
            // closing ends the session, and so the lock, either way
          }
        });
    held = Optional.empty();
  }

  @Override
  public void close() {
    release();
  }

  private static boolean tryLock(Connection connection) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      statement.setLong(1, LOCK_KEY);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    username.ifPresent(u -> properties.setProperty("user", u));
    password.ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("socketTimeout", "30");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "bulwark-backup-pitr-leader");
    return DriverManager.getConnection(jdbcUrl, properties);
  }
}
