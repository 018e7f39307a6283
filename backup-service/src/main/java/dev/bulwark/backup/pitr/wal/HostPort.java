package dev.bulwark.backup.pitr.wal;

/**
 * A server that may be a target's primary, from {@code bulwark.backup.pitr.targets.<name>.hosts}.
 */
public record HostPort(String host, int port) {

  /**
   * Reads {@code host:port} (the port defaults to 5432).
   *
   * @throws IllegalArgumentException naming {@code setting} when it is not of that form
   */
  public static HostPort parse(String setting, String text) {
    String s = text.strip();
    int colon = s.lastIndexOf(':');
    String host = colon < 0 ? s : s.substring(0, colon);
    if (host.isEmpty()) {
      throw new IllegalArgumentException(setting + ": '" + text + "' is not host:port");
    }
    if (colon < 0) {
      return new HostPort(host, 5432);
    }
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(host, port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          setting + ": '" + text + "' has no port number 1..65535 after the colon");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
