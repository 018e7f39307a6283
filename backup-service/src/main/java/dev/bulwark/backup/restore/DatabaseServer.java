package dev.bulwark.backup.restore;

import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * A PostgreSQL server to restore into, with the database to connect to when creating or dropping
 * others ({@code maintenanceDatabase}); the password never leaves this record.
 *
 * @param role what the server is for, in messages ("target 'pipeline'", "scratch server")
 */
public record DatabaseServer(
    String role,
    String host,
    int port,
    String maintenanceDatabase,
    Optional<String> username,
    Optional<String> password) {

  /** The server of a backup target, reached through the target's own database. */
  public static DatabaseServer of(BackupTarget target) {
    return new DatabaseServer(
        "target '" + target.name() + "'",
        target.host(),
        target.port(),
        target.database(),
        target.username(),
        target.password());
  }

  /**
   * A server from settings.
   *
   * @throws IllegalArgumentException naming {@code setting} when the URL is not {@code
   *     postgresql://host[:port]/database}
   */
  public static DatabaseServer parse(
      String role,
      String setting,
      String url,
      Optional<String> username,
      Optional<String> password) {
    PostgresUrl parsed = PostgresUrl.parse(setting, url);
    return new DatabaseServer(
        role, parsed.host(), parsed.port(), parsed.database(), username, password);
  }

  /** A connection to {@code database} on this server. */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    username.ifPresent(u -> properties.setProperty("user", u));
    password.ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("ApplicationName", "bulwark-restore");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port + "/" + database, properties);
  }

  /** A connection to the maintenance database, to create and drop others. */
  public Connection connect() throws SQLException {
    return connect(maintenanceDatabase);
  }

  @Override
  public String toString() {
    return "DatabaseServer[" + role + " " + host + ":" + port + "]";
  }
}
