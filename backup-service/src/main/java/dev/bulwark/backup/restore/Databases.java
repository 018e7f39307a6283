package dev.bulwark.backup.restore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQL restores and verifications run to create, inspect and drop whole databases. */
public final class Databases {

  private static final String RELATIONS =
      """
      SELECT count(*)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND n.nspname NOT LIKE 'pg\\_toast%'
         AND n.nspname NOT LIKE 'pg\\_temp%'
      """;

  private Databases() {}

  /** The server's major version. */
  public static int serverMajor(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW server_version_num")) {
      rows.next();
      return Integer.parseInt(rows.getString(1)) / 10000;
    }
  }

  public static boolean exists(Connection connection, String database) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      statement.setString(1, database);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Creates an empty database: template0, so nothing added to template1 comes along. */
  public static void create(Connection connection, String database) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + quote(database) + " TEMPLATE template0");
    }
  }

  /** Drops a database, ending its sessions (a pg_restore that was stopped may linger). */
  public static void drop(Connection connection, String database) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
    }
  }

  /** Relations (tables, views, sequences, indexes...) outside the system schemas. */
  public static long relations(Connection connectionToTheDatabase) throws SQLException {
    try (Statement statement = connectionToTheDatabase.createStatement();
        ResultSet rows = statement.executeQuery(RELATIONS)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
