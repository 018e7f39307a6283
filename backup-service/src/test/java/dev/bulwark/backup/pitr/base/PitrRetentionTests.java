package dev.bulwark.backup.pitr.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.exported.RetentionCounters;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PitrRetentionTests {

  private static final long SEGMENT = 16L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void keepsTheWindowAndTheNewestBaseBackupBeforeItAndTheWalFromItsStart() throws IOException {
    MutableClock clock = MutableClock.todayAtNoon();
    Instant now = clock.instant();
    FileStorage storage = FileStorage.at(Files.createDirectories(dir.resolve("storage")));
    AgeIdentity identity = AgeKeys.generate();
    WalArchive archive =
        new WalArchive(
            storage,
            new AgeKeyring(
                Optional.of(identity.recipient().keyId()),
                Optional.of(identity.secretString()),
                new ZstdSettings(3, 0)));
    // Base backups 10, 8 and 2 days old, starting in segments 2, 5 and 9.
    store(storage, "ten", now.minus(Duration.ofDays(10)), 2);
    store(storage, "eight", now.minus(Duration.ofDays(8)), 5);
    store(storage, "two", now.minus(Duration.ofDays(2)), 9);
    Path spool = Files.createDirectories(dir.resolve("spool"));
    for (int n = 1; n <= 10; n++) {
      Path file = spool.resolve(String.format("%08X%08X%08X", 1, 0, n));
      Files.write(file, new byte[] {(byte) n});
      archive.putSegment("pipeline", file);
    }
    Path history = spool.resolve("00000002.history");
    Files.writeString(history, "1\t0/1000000\tpromoted\n");
    archive.putSegment("pipeline", history);
    BackupTarget target =
        new BackupTarget(
            "pipeline", "127.0.0.1", 5432, "postgres", Optional.empty(), Optional.empty());
    BaseBackups bases = new BaseBackups(storage);
    PitrRetention retention =
        new PitrRetention(
            new PitrTargets(new BackupTargets(Map.of("pipeline", target)), Set.of("pipeline")),
            bases,
            archive,
            null,
            new RetentionCounters(new SimpleMeterRegistry()),
            clock,
            Duration.ofDays(7),
            Duration.ofDays(1));

    PitrRetention.Pruned pruned = retention.prune("pipeline");

    // "eight" started before the window's start, and is the newest that did: it reaches it.
    assertThat(pruned.baseBackups()).containsExactly("ten");
    assertThat(bases.of("pipeline"))
        .extracting(BaseBackupManifest::backupId)
        .containsExactly("eight", "two");
    assertThat(pruned.walFiles())
        .containsExactly(
            "000000010000000000000001",
            "000000010000000000000002",
            "000000010000000000000003",
            "000000010000000000000004");
    assertThat(archive.list("pipeline")).first().isEqualTo("000000010000000000000005");
    assertThat(archive.list("pipeline")).contains("00000002.history");
  }

  private static void store(FileStorage storage, String id, Instant startedAt, int startSeg)
      throws IOException {
    BaseBackupManifest manifest =
        new BaseBackupManifest(
            "pipeline",
            id,
            startedAt,
            startedAt.plusSeconds(60),
            150000,
            1,
            "0/" + Long.toHexString(startSeg * SEGMENT + 0x28).toUpperCase(),
            "0/" + Long.toHexString(startSeg * SEGMENT + 0x100).toUpperCase(),
            String.format("%08X%08X%08X", 1, 0, startSeg),
            String.format("%08X%08X%08X", 1, 0, startSeg),
            SEGMENT,
            true,
            Map.of(),
            "age1key");
    storage.put(
        BaseBackupObjects.keyOf("pipeline", id, BaseBackupObjects.MANIFEST),
        new ByteArrayInputStream(BaseBackupJson.write(manifest)));
  }
}
