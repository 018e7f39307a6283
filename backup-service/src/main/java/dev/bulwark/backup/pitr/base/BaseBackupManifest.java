package dev.bulwark.backup.pitr.base;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code pitr/<target>/base/<backupId>/manifest.json} records of one base backup; the backup
 * exists once this file does. LSNs are PostgreSQL's text form ({@code 0/2000028}).
 *
 * @param walIncluded whether the tar holds the WAL from start to end LSN ({@code -X fetch}), so
 *     that the backup is consistent without the archive
 * @param objects the stored objects by file name (the tar pieces {@code base-00000.tar.zst.age},
 *     ..., or one {@code base.tar.zst.age} before pieces, and {@code backup_manifest.zst.age}),
 *     with their sizes and SHA-256
 */
public record BaseBackupManifest(
    String target,
    String backupId,
    Instant startedAt,
    Instant finishedAt,
    int serverVersion,
    long timeline,
    String startLsn,
    String endLsn,
    String startWalSegment,
    String endWalSegment,
    long walSegmentSize,
    boolean walIncluded,
    Map<String, StoredPart> objects,
    String keyId) {

  public BaseBackupManifest {
    objects = Map.copyOf(objects);
  }

  /** One stored object of the backup: raw bytes before zstd and age, stored bytes, their hash. */
  public record StoredPart(long rawBytes, long storedBytes, String storedSha256) {}

  /** The file names of the tar's pieces, in the order they were written. */
  public List<String> tarPieces() {
    return BaseBackupObjects.pieces(objects.keySet());
  }

  /** Raw bytes of the whole backup. */
  public long rawBytes() {
    return objects.values().stream().mapToLong(StoredPart::rawBytes).sum();
  }

  /** Stored bytes of the whole backup. */
  public long storedBytes() {
    return objects.values().stream().mapToLong(StoredPart::storedBytes).sum();
  }
}
