package dev.bulwark.backup.dumps;

/** A backup's exported snapshot: its id and the server version ({@code server_version_num}). */
public record Snapshot(String id, int serverVersionNum) {

  /** The server's major version, which picks the pg_dump to run. */
  public int major() {
    return serverVersionNum / 10000;
  }
}
