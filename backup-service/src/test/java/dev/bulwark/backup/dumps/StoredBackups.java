package dev.bulwark.backup.dumps;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes backups straight into storage as {@link LogicalBackup} lays them out (a dump, then its
 * manifest), at any start time, so that retention and gauges can be tested over months of history
 * without running pg_dump for each.
 */
public final class StoredBackups {

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final ObjectStorage storage;
  private final Backups backups;

  public StoredBackups(ObjectStorage storage, Backups backups) {
    this.storage = storage;
    this.backups = backups;
  }

  /** A complete backup of {@code target} that started at {@code startedAt} and took 90 s. */
  public BackupManifest backup(String target, Instant startedAt) {
    String id = newId(startedAt);
    byte[] dump = dumpBytes(startedAt);
    put(BackupObjects.keyOf(target, id, "dump.age"), dump);
    BackupManifest manifest =
        new BackupManifest(
            target,
            id,
            startedAt,
            startedAt.plus(Duration.ofSeconds(90)),
            170000,
            BackupObjects.keyOf(target, id, "dump.age").value(),
            dump.length * 3L,
            dump.length,
            "0".repeat(64),
            "age1test",
            new TreeMap<>(java.util.Map.of("public.leads", 3L)));
    put(BackupObjects.keyOf(target, id, BackupObjects.MANIFEST), BackupJson.write(manifest));
    return manifest;
  }

  /** What a run that died leaves: a dump without a manifest; returns its backup id. */
  public String leftover(String target, Instant startedAt) {
    String id = newId(startedAt);
    put(BackupObjects.keyOf(target, id, "dump.age"), dumpBytes(startedAt));
    return id;
  }

  /** Records a verification of {@code backup} that finished an hour after it. */
  public BackupVerification verify(BackupManifest backup, boolean passed) {
    Instant at = backup.finishedAt().plus(Duration.ofHours(1));
    BackupVerification verification =
        new BackupVerification(
            backup.target(),
            backup.backupId(),
            at.minus(Duration.ofMinutes(2)),
            at,
            passed,
            passed ? List.of() : List.of("public.leads: 2 rows restored, 3 in the manifest"),
            new TreeMap<>());
    backups.saveVerification(verification);
    return verification;
  }

  private void put(ObjectKey key, byte[] content) {
    try {
      storage.put(key, new ByteArrayInputStream(content));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Sizes differ by start time, so that a size gauge shows which backup it describes.
  private static byte[] dumpBytes(Instant startedAt) {
    return new byte[1000 + (int) (startedAt.getEpochSecond() % 1000)];
  }

  private static String newId(Instant startedAt) {
    return ID_TIME.format(startedAt)
        + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(0x1000000)).substring(2);
  }
}
