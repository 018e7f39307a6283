package dev.bulwark.backup.verify;

import dev.bulwark.backup.restore.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Scratch databases of verifications, marked with their creation time (a comment on the database),
 * so that those a dead replica left behind are dropped by a later verification on that server.
 */
final class ScratchDatabases {

  static final String PREFIX = "bulwark_verify_";
  private static final String MARK = "bulwark verification scratch database, created ";

  private ScratchDatabases() {}

  /** Creates the scratch database {@code name} and marks it as created {@code now}. */
  static void create(Connection connection, String name, Instant now) throws SQLException {
    Databases.create(connection, name);
    try (Statement statement = connection.createStatement()) {
      // Both are ours: a name of PREFIX and hex digits, an ISO instant.
      statement.execute("COMMENT ON DATABASE \"" + name + "\" IS '" + MARK + now + "'");
    }
  }

  /**
   * Drops the scratch databases marked as created before {@code cutoff}; unmarked ones (one being
   * created this instant) are left. Answers the names dropped.
   */
  static List<String> dropOlderThan(Connection connection, Instant cutoff) throws SQLException {
    List<String> stale = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                + " WHERE starts_with(datname, ?)")) {
      query.setString(1, PREFIX);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String comment = rows.getString(2);
          if (comment != null && comment.startsWith(MARK)) {
            try {
              if (Instant.parse(comment.substring(MARK.length())).isBefore(cutoff)) {
                stale.add(rows.getString(1));
              }
            } catch (DateTimeParseException notOurs) {
              // Someone else's comment: not ours to judge.
            }
          }
        }
      }
    }
    for (String name : stale) {
      Databases.drop(connection, name);
    }
    return stale;
  }
}
