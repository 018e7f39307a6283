package dev.bulwark.backup.dumps;

import java.util.SortedMap;

/**
 * What a backup's exported snapshot showed before pg_dump ran in it: its id, the server version
 * ({@code server_version_num}) and each user table's exact row count by {@code schema.table}.
 */
public record Snapshot(String id, int serverVersionNum, SortedMap<String, Long> rowCounts) {

  /** The server's major version, which picks the pg_dump to run. */
  public int major() {
    return serverVersionNum / 10000;
  }
}
