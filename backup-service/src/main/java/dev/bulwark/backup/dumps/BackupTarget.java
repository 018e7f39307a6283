package dev.bulwark.backup.dumps;

import java.util.Optional;

/** A database to back up: where it is and who connects; the password never leaves this record. */
public record BackupTarget(
    String name,
    String host,
    int port,
    String database,
    Optional<String> username,
    Optional<String> password) {

  /** The JDBC URL of the target (credentials are passed apart). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The same database, user and password on another server (a standby promoted, say). */
  public BackupTarget at(String otherHost, int otherPort) {
    return new BackupTarget(name, otherHost, otherPort, database, username, password);
  }

  /**
   * Reads {@code postgresql://host[:port]/database}.
   *
   * @throws IllegalArgumentException naming the setting when the URL is not of that form
   */
  static BackupTarget parse(
      String name, String url, Optional<String> username, Optional<String> password) {
    PostgresUrl parsed = PostgresUrl.parse("bulwark.backup.targets." + name + ".url", url);
    return new BackupTarget(
        name, parsed.host(), parsed.port(), parsed.database(), username, password);
  }

  @Override
  public String toString() {
    return "BackupTarget[" + name + " " + host + ":" + port + "/" + database + "]";
  }
}
