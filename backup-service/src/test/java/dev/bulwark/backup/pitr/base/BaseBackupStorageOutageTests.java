package dev.bulwark.backup.pitr.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.TestKeyrings;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.TestTargets;
import dev.bulwark.backup.exported.RetentionCounters;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.storage.ClusterAndBucket;
import dev.bulwark.backup.storage.ForwardingStorage;
import dev.bulwark.backup.storage.ObjectBody;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.RunLeftover;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3Proxy killed (SIGKILL) while a base backup stores its pieces, on real PostgreSQL and S3Proxy:
 * the backup fails naming storage and publishes nothing, the pieces it stored cannot be deleted
 * while storage is down, and PITR retention deletes them once storage is back and they are older
 * than the grace.
 */
class BaseBackupStorageOutageTests {

  private static final String BUCKET = "base-outage";
  // Pieces of 1 MiB: a fresh cluster's base backup is about twenty of them.
  private static final PieceSettings PIECES = new PieceSettings(2, 1024 * 1024);
  private static final Duration GRACE = Duration.ofHours(1);
  private static ClusterAndBucket fixture;
  private static AgeKeyring keyring;
  private static BackupTargets targets;

  @BeforeAll
  static void databaseAndStorage() {
    fixture = ClusterAndBucket.start("pitr-base-outage", BUCKET);
    fixture.primary().execute("CREATE TABLE leads AS SELECT i FROM generate_series(1, 5000) i");
    keyring = TestKeyrings.generated(1);
    targets = TestTargets.only("pipeline", fixture.primary().port());
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void piecesLeftByABackupThatStorageDiedUnderAreDeletedByRetentionAfterTheGrace()
      throws Exception {
    try (ObjectStorage s3 = fixture.bucket().storage()) {
      BaseBackups bases = new BaseBackups(s3);
      BaseBackupManifest complete = backup(s3).run("pipeline");
      // Given storage that dies (SIGKILL) as soon as the first piece of the next backup is stored.
      ObjectStorage dying =
          new ForwardingStorage(s3) {
            @Override
            public StoredObject put(ObjectKey key, ObjectBody body) throws IOException {
              StoredObject stored = super.put(key, body);
              if (key.value().endsWith("/" + BaseBackupObjects.piece(0))) {
                fixture.bucket().kill();
              }
              return stored;
            }
          };

      // When the backup runs into it: it fails naming storage, before storage is back.
      assertThatThrownBy(() -> backup(dying).run("pipeline"))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("object storage s3://" + BUCKET);
      fixture.bucket().startAgain();

      // Then nothing was published, but the stored pieces could not be deleted: a leftover.
      assertThat(bases.of("pipeline")).containsExactly(complete);
      List<RunLeftover> leftovers = bases.leftovers("pipeline");
      assertThat(leftovers).hasSize(1);
      RunLeftover leftover = leftovers.get(0);
      assertThat(leftover.backupId()).isNotEqualTo(complete.backupId());
      assertThat(leftover.keys())
          .contains(
              BaseBackupObjects.keyOf("pipeline", leftover.backupId(), BaseBackupObjects.piece(0)));

      // Retention keeps it within the grace (a run in progress looks the same) ...
      MutableClock clock = MutableClock.at(Instant.now());
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      PitrRetention retention = retention(bases, s3, clock, new RetentionCounters(registry));
      assertThat(retention.prune("pipeline").leftovers()).isEmpty();
      assertThat(bases.leftovers("pipeline")).containsExactly(leftover);
      assertThat(leftoversDeleted(registry)).isZero();

      // ... and deletes every object of it after, keeping the complete backup.
      clock.advance(GRACE.plusMinutes(1));
      PitrRetention.Pruned pruned = retention.prune("pipeline");
      assertThat(pruned.leftovers()).containsExactly(leftover.backupId());
      assertThat(pruned.baseBackups()).isEmpty();
      assertThat(bases.leftovers("pipeline")).isEmpty();
      try (Stream<StoredObject> left =
          s3.list(BaseBackupObjects.prefixOf("pipeline") + leftover.backupId() + "/")) {
        assertThat(left).isEmpty();
      }
      assertThat(bases.of("pipeline")).containsExactly(complete);
      // ... counted, once: the next run finds nothing more to sweep.
      assertThat(leftoversDeleted(registry)).isEqualTo(1);
      assertThat(retention.prune("pipeline").leftovers()).isEmpty();
      assertThat(leftoversDeleted(registry)).isEqualTo(1);
    }
  }

  /** {@code bulwark_backup_pitr_retention_leftovers_deleted_total{target="pipeline"}}. */
  private static double leftoversDeleted(SimpleMeterRegistry registry) {
    return registry
        .get("bulwark.backup.pitr.retention.leftovers.deleted")
        .tag("target", "pipeline")
        .counter()
        .count();
  }

  private static PgBaseBackup backup(ObjectStorage storage) {
    return PgBaseBackupBuilder.of(targets, storage, keyring).pieces(PIECES).build();
  }

  private static PitrRetention retention(
      BaseBackups bases, ObjectStorage storage, Clock clock, RetentionCounters counters) {
    return new PitrRetention(
        new PitrTargets(targets, Set.of("pipeline")),
        bases,
        new WalArchive(storage, keyring),
        null,
        counters,
        clock,
        Duration.ofDays(7),
        GRACE);
  }
}
