package dev.bulwark.backup.pitr;

import dev.bulwark.testing.PostgresNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Archives WAL straight from a server's pg_wal, as the receiver would have stored it. */
public final class PgWalSegments {

  private PgWalSegments() {}

  /**
   * Stores the completed segments from {@code first} to {@code last} (a segment closed with {@code
   * pg_switch_wal()}) under {@code target}; returns their names in order. Newer names in pg_wal are
   * recycled files, not WAL of this history.
   */
  public static List<String> archive(
      PostgresNode primary, WalArchive archive, String target, String first, String last)
      throws IOException {
    List<Path> segments;
    try (Stream<Path> files = Files.list(primary.dataDir().resolve("pg_wal"))) {
      segments =
          files
              .filter(p -> WalSegmentName.isSegmentName(p.getFileName().toString()))
              .filter(p -> p.getFileName().toString().compareTo(first) >= 0)
              .filter(p -> p.getFileName().toString().compareTo(last) <= 0)
              .sorted()
              .toList();
    }
    for (Path segment : segments) {
      archive.putSegment(target, segment);
    }
    return segments.stream().map(p -> p.getFileName().toString()).toList();
  }
}
