package dev.bulwark.backup.dumps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.testing.LogLines;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing backups from storage: manifests read once, an unreadable one left out. */
class BackupsTests {

  @TempDir Path dir;

  @Test
  void anUnreadableManifestLeavesItsBackupOutAndTheOthersListed() throws Exception {
    ObjectStorage storage = FileStorage.at(dir);
    Backups backups = backups(storage);
    StoredBackups stored = new StoredBackups(storage, backups);
    BackupManifest good = stored.backup("store", Instant.parse("2026-11-01T02:00:00Z"));
    BackupManifest broken = stored.backup("store", Instant.parse("2026-11-02T02:00:00Z"));
    ObjectKey brokenKey = BackupObjects.keyOf("store", broken.backupId(), BackupObjects.MANIFEST);
    storage.put(
        brokenKey, new ByteArrayInputStream("{\"target\": ".getBytes(StandardCharsets.UTF_8)));

    try (LogLines logs = LogLines.atLeast(Level.WARNING)) {
      assertThat(backups.of("store")).containsExactly(good);
      assertThat(backups.of("store")).containsExactly(good);
      // Logged when read, not on every listing.
      assertThat(logs.of(Backups.class.getName()))
          .singleElement()
          .asString()
          .contains(broken.backupId());
    }
  }

  @Test
  void aDeletedBackupLeavesTheListingAndARewrittenManifestIsReadAgain() throws Exception {
    ObjectStorage storage = FileStorage.at(dir);
    Backups backups = backups(storage);
    StoredBackups stored = new StoredBackups(storage, backups);
    BackupManifest older = stored.backup("store", Instant.parse("2026-11-01T02:00:00Z"));
    BackupManifest newer = stored.backup("store", Instant.parse("2026-11-02T02:00:00Z"));
    assertThat(backups.of("store")).containsExactly(newer, older);

    storage.delete(BackupObjects.keyOf("store", older.backupId(), BackupObjects.MANIFEST));
    BackupManifest changed =
        new BackupManifest(
            newer.target(),
            newer.backupId(),
            newer.startedAt(),
            newer.finishedAt(),
            newer.serverVersionNum(),
            newer.dumpKey(),
            newer.rawBytes(),
            newer.storedBytes(),
            newer.storedSha256(),
            newer.ageRecipient(),
            // A longer file: a cache keyed by size and time cannot take it for the old one.
            new TreeMap<>(Map.of("public.leads", 3L, "public.extra_table", 12345L)));
    storage.put(
        BackupObjects.keyOf("store", newer.backupId(), BackupObjects.MANIFEST),
        new ByteArrayInputStream(BackupJson.write(changed)));

    assertThat(backups.of("store")).containsExactly(changed);
    assertThat(backups.find("store", older.backupId())).isEqualTo(Optional.empty());
  }

  private static Backups backups(ObjectStorage storage) {
    return new Backups(
        new BackupTargets(
            Map.of(
                "store",
                new BackupTarget(
                    "store", "127.0.0.1", 5432, "db", Optional.empty(), Optional.empty()))),
        storage);
  }
}
