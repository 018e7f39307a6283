package dev.bulwark.backup.dumps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.storage.ClusterAndBucket;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.S3Bucket;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.backup.storage.UploadPartTrap;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** S3 killed (SIGKILL) in the middle of a backup's multipart upload, then back. */
class BackupStorageOutageTests {

  private static final String BUCKET = "outage";
  private static ClusterAndBucket fixture;
  private static PostgresNode db;

  @BeforeAll
  static void startDatabaseAndStorage() {
    fixture = ClusterAndBucket.start("storage-outage", BUCKET);
    db = fixture.primary();
    db.createDatabase("pipeline");
    // About 24 MB that zstd cannot shrink (md5 digests as bytes): several 5 MB parts.
    db.execute(
        "pipeline",
        "CREATE TABLE pages AS SELECT i AS id, decode(string_agg(md5(i::text || ':' || j), ''),"
            + " 'hex') AS html FROM generate_series(1, 3000) i, generate_series(1, 500) j"
            + " GROUP BY i");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @AfterEach
  void disarm() {
    UploadPartTrap.disarm();
  }

  @Test
  void aBackupWhoseStorageDiesMidUploadLeavesNoBackupAndTheNextTrySucceeds() throws Exception {
    AgeIdentity identity = AgeKeys.generate();
    S3Bucket killed = fixture.bucket();
    UploadPartTrap.armBefore(3, killed::kill);

    try (ObjectStorage storage = storage()) {
      LogicalBackup backup = backup(storage, identity);
      assertThatThrownBy(() -> backup.run("pipeline")).isInstanceOf(StorageUnavailable.class);
    }
    assertThat(killed.isRunning()).isFalse();

    killed.startAgain();
    try (ObjectStorage storage = storage()) {
      // Nothing under backups/: no dump, no manifest. (The parts of the upload the kill cut off
      // stay for the bucket's lifecycle rule; S3Proxy's file store shows them at the bucket's
      // root as .mpus-* objects, S3 never lists them.)
      assertThat(objects(storage)).isEmpty();
      assertThat(backups(storage).of("pipeline")).isEmpty();

      BackupManifest manifest = backup(storage, identity).run("pipeline");

      assertThat(manifest.rowCounts()).containsEntry("public.pages", 3000L);
      assertThat(manifest.storedBytes()).isGreaterThan(20L * 1024 * 1024);
      assertThat(objects(storage))
          .containsExactlyInAnyOrder(
              "backups/pipeline/" + manifest.backupId() + "/dump.age",
              "backups/pipeline/" + manifest.backupId() + "/manifest.json");
    }
  }

  private static Backups backups(ObjectStorage storage) {
    return new Backups(targets(), storage);
  }

  private static BackupTargets targets() {
    return new BackupTargets(
        Map.of(
            "pipeline",
            new BackupTarget(
                "pipeline",
                db.host(),
                db.port(),
                "pipeline",
                Optional.of(db.user()),
                Optional.empty())));
  }

  private static LogicalBackup backup(ObjectStorage storage, AgeIdentity identity) {
    return new LogicalBackup(
        targets(),
        storage,
        new AgeKeyring(
            Optional.of(identity.recipient().keyId()), Optional.empty(), new ZstdSettings(3, 0)),
        new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql")),
        MutableClock.todayAtNoon());
  }

  private static List<String> objects(ObjectStorage storage) {
    try (Stream<StoredObject> listed = storage.list("backups/")) {
      return listed.map(o -> o.key().value()).toList();
    }
  }

  // Parts of 5 MB, the smallest S3 takes: the dump is uploaded in several.
  private static ObjectStorage storage() {
    return fixture.bucket().storage(Map.of("bulwark.backup.storage.part-size", "5M"));
  }
}
