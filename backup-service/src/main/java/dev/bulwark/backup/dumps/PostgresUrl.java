package dev.bulwark.backup.dumps;

import java.net.URI;
import java.net.URISyntaxException;

/** A PostgreSQL server and database as settings name it: {@code postgresql://host[:port]/db}. */
public record PostgresUrl(String host, int port, String database) {

  /**
   * Reads {@code postgresql://host[:port]/database} (the port defaults to 5432).
   *
   * @throws IllegalArgumentException naming {@code setting} when the URL is not of that form or
   *     holds credentials (they are settings of their own)
   */
  public static PostgresUrl parse(String setting, String url) {
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
    return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path);
  }
}
