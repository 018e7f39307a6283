package dev.bulwark.backup.dumps;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The SQL a backup runs on its target, inside the transaction whose snapshot pg_dump reuses. */
final class SnapshotReader {

  private static final String TABLES =
      """
      SELECT n.nspname || '.' || c.relname, format('%I.%I', n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r'
         AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND n.nspname NOT LIKE 'pg\\_toast%'
         AND n.nspname NOT LIKE 'pg\\_temp%'
       ORDER BY 1
      """;

  private SnapshotReader() {}

  /**
   * Exports the snapshot of {@code connection}'s repeatable-read transaction and reads, in it, the
   * server version and every user table's row count; the transaction must stay open while pg_dump
   * runs.
   */
  static Snapshot export(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    connection.setReadOnly(true);
    try (Statement statement = connection.createStatement()) {
      // The first query fixes the snapshot; exporting it first makes it the one counted below.
      String id = single(statement, "SELECT pg_export_snapshot()");
      int version = Integer.parseInt(single(statement, "SHOW server_version_num"));
      List<String[]> tables = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery(TABLES)) {
        while (rows.next()) {
          tables.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
      SortedMap<String, Long> counts = new TreeMap<>();
      for (String[] table : tables) {
        // The name comes from format('%I'), quoted by the server itself.
        counts.put(table[0], Long.parseLong(single(statement, "SELECT count(*) FROM " + table[1])));
      }
      return new Snapshot(id, version, counts);
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
