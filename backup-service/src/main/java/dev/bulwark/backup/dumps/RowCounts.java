package dev.bulwark.backup.dumps;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Exact row counts of every user table of a database by {@code schema.table}: a backup counts its
 * snapshot with it, a verification or restore counts what it restored, so both name tables alike.
 */
public final class RowCounts {

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

  private RowCounts() {}

  /** Counts in {@code connection}'s current transaction (or snapshot). */
  public static SortedMap<String, Long> of(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      List<String[]> tables = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery(TABLES)) {
        while (rows.next()) {
          tables.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
      SortedMap<String, Long> counts = new TreeMap<>();
      for (String[] table : tables) {
        // The name comes from format('%I'), quoted by the server itself.
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table[1])) {
          rows.next();
          counts.put(table[0], rows.getLong(1));
        }
      }
      return counts;
    }
  }
}
