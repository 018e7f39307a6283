package dev.bulwark.backup.dumps;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQL a backup runs on its target, inside the transaction whose snapshot pg_dump reuses. */
final class SnapshotReader {

  private SnapshotReader() {}

  /**
   * Exports the snapshot of {@code connection}'s repeatable-read transaction and reads, in it, the
   * server version; the transaction must stay open while pg_dump runs, and row counts read on the
   * connection ({@link RowCounts}) see the same snapshot.
   */
  static Snapshot export(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    connection.setReadOnly(true);
    try (Statement statement = connection.createStatement()) {
      // The first query fixes the transaction's snapshot: the one exported, dumped and counted.
      String id = single(statement, "SELECT pg_export_snapshot()");
      int version = Integer.parseInt(single(statement, "SHOW server_version_num"));
      return new Snapshot(id, version);
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
