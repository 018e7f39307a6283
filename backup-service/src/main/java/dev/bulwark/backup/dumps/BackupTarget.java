package dev.bulwark.backup.dumps;

import java.net.URI;
import java.net.URISyntaxException;
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

  /**
   * Reads {@code postgresql://host[:port]/database}.
   *
   * @throws IllegalArgumentException naming the setting when the URL is not of that form
   */
  static BackupTarget parse(
      String name, String url, Optional<String> username, Optional<String> password) {
    String setting = "bulwark.backup.targets." + name + ".url";
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(setting + " is not a URL: " + e.getMessage());
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (!"postgresql".equals(uri.getScheme())
        || uri.getHost() == null
        || path.isEmpty()
        || path.contains("/")
        || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          setting
              + " must be postgresql://host[:port]/database, without credentials (username and"
              + " password are settings of their own)");
    }
    return new BackupTarget(
        name, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path, username, password);
  }

  @Override
  public String toString() {
    return "BackupTarget[" + name + " " + host + ":" + port + "/" + database + "]";
  }
}
