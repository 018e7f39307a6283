package dev.bulwark.backup.pitr.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.SnapshotUnavailable;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.wal.HostPort;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ForwardingStorage;
import dev.bulwark.backup.storage.ObjectBody;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.PostgresCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgBaseBackupTests {

  private static PostgresCluster cluster;
  private static AgeIdentity identity;

  @TempDir Path dir;

  @BeforeAll
  static void database() {
    cluster = PostgresCluster.start("pitr-base");
    cluster.primary().execute("CREATE TABLE leads AS SELECT i FROM generate_series(1, 5000) i");
    identity = AgeKeys.generate();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private PgBaseBackup backup(ObjectStorage storage, int port) {
    return backup(storage, port, "postgres");
  }

  private PgBaseBackup backup(ObjectStorage storage, int port, String user) {
    return backup(storage, port, user, PieceSettings.DEFAULTS);
  }

  private PgBaseBackup backup(ObjectStorage storage, int port, String user, PieceSettings pieces) {
    return backup(storage, port, user, pieces, target -> Optional.empty());
  }

  private PgBaseBackup backup(
      ObjectStorage storage,
      int port,
      String user,
      PieceSettings pieces,
      Function<String, Optional<HostPort>> primaryOf) {
    BackupTarget target =
        new BackupTarget(
            "pipeline", "127.0.0.1", port, "postgres", Optional.of(user), Optional.empty());
    return PgBaseBackupBuilder.of(new BackupTargets(Map.of("pipeline", target)), storage, keyring())
        .pieces(pieces)
        .primaryOf(primaryOf)
        .build();
  }

  static AgeKeyring keyring() {
    return new AgeKeyring(
        Optional.of(identity.recipient().keyId()),
        Optional.of(identity.secretString()),
        new ZstdSettings(3, 0));
  }

  @Test
  void readsThePrimaryTheWalArchiveFollowsNotTheTargetsUrl() throws Exception {
    FileStorage storage = FileStorage.at(Files.createDirectories(dir.resolve("storage")));
    int nothingListens;
    try (ServerSocket socket = new ServerSocket(0)) {
      nothingListens = socket.getLocalPort();
    }
    HostPort primary = new HostPort("127.0.0.1", cluster.primary().port());

    // The URL names a server gone (the old primary after a failover); the archive's primary is up.
    BaseBackupManifest manifest =
        backup(
                storage,
                nothingListens,
                "postgres",
                PieceSettings.DEFAULTS,
                target -> target.equals("pipeline") ? Optional.of(primary) : Optional.empty())
            .run("pipeline");

    assertThat(new BaseBackups(storage).of("pipeline")).containsExactly(manifest);
    assertThatThrownBy(() -> backup(storage, nothingListens).run("pipeline"))
        .isInstanceOf(SnapshotUnavailable.class);
  }

  @Test
  void storesTheTarAndPgManifestEncryptedThenAManifestWithTheWalRange() throws Exception {
    FileStorage storage = FileStorage.at(Files.createDirectories(dir.resolve("storage")));
    String lsnBefore = cluster.primary().queryValue("SELECT pg_current_wal_lsn()");

    BaseBackupManifest manifest = backup(storage, cluster.primary().port()).run("pipeline");

    String lsnAfter = cluster.primary().queryValue("SELECT pg_current_wal_lsn()");
    long start = WalSegmentName.parseLsn(manifest.startLsn());
    long end = WalSegmentName.parseLsn(manifest.endLsn());
    assertThat(start).isGreaterThan(WalSegmentName.parseLsn(lsnBefore));
    assertThat(end).isGreaterThan(start).isLessThanOrEqualTo(WalSegmentName.parseLsn(lsnAfter));
    assertThat(manifest.timeline()).isEqualTo(1);
    assertThat(manifest.startWalSegment())
        .isEqualTo(WalSegmentName.ofLsn(1, start, 16 * 1024 * 1024).format());
    assertThat(manifest.serverVersion() / 10000)
        .isEqualTo(
            Integer.parseInt(cluster.primary().queryValue("SHOW server_version_num")) / 10000);
    assertThat(manifest.walIncluded()).isTrue();
    assertThat(new BaseBackups(storage).of("pipeline")).containsExactly(manifest);

    // The pg manifest decrypts to pg_basebackup's JSON naming the same WAL range.
    try (InputStream stored =
            storage.get(
                BaseBackupObjects.keyOf(
                    "pipeline", manifest.backupId(), BaseBackupObjects.PG_MANIFEST));
        InputStream raw = BackupStreams.decrypt(stored, keyring().identities())) {
      String pgManifest = new String(raw.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(pgManifest)
          .contains("\"PostgreSQL-Backup-Manifest-Version\": 1")
          .contains("\"Start-LSN\": \"" + manifest.startLsn() + "\"")
          .contains("\"End-LSN\": \"" + manifest.endLsn() + "\"");
    }
    // A small database in 64 MiB pieces: one piece, whose stored size is the manifest's.
    assertThat(manifest.tarPieces()).containsExactly(BaseBackupObjects.piece(0));
    StoredObject tar =
        storage
            .head(
                BaseBackupObjects.keyOf(
                    "pipeline", manifest.backupId(), BaseBackupObjects.piece(0)))
            .orElseThrow();
    assertThat(tar.size())
        .isEqualTo(manifest.objects().get(BaseBackupObjects.piece(0)).storedBytes());
    assertThat(manifest.objects().get(BaseBackupObjects.piece(0)).rawBytes())
        .isGreaterThan(16L * 1024 * 1024);
  }

  @Test
  void aFailedRunLeavesNothingStored() throws Exception {
    FileStorage storage = FileStorage.at(Files.createDirectories(dir.resolve("storage")));
    // A role that may read but not replicate: pg_basebackup fails once the server was asked.
    cluster.primary().execute("CREATE ROLE reader LOGIN");

    assertThatThrownBy(() -> backup(storage, cluster.primary().port(), "reader").run("pipeline"))
        .isInstanceOf(BaseBackupFailed.class)
        .hasMessageContaining("pg_basebackup of target 'pipeline' failed")
        .hasMessageContaining("replication");
    try (var objects = storage.list("")) {
      assertThat(objects).isEmpty();
    }
  }

  @Test
  void aPieceThatCannotBeStoredFailsTheBackupAndLeavesNothingStored() throws Exception {
    FileStorage files = FileStorage.at(Files.createDirectories(dir.resolve("storage")));
    // Storage that refuses the third piece, after two were stored.
    String refused = BaseBackupObjects.piece(2);
    ObjectStorage storage =
        new ForwardingStorage(files) {
          @Override
          public StoredObject put(ObjectKey key, ObjectBody body) throws IOException {
            if (key.value().endsWith("/" + refused)) {
              throw new StorageUnavailable(files.location(), "refused in the test");
            }
            return super.put(key, body);
          }
        };

    assertThatThrownBy(
            () ->
                backup(storage, cluster.primary().port(), "postgres", new PieceSettings(2, 1 << 20))
                    .run("pipeline"))
        .isInstanceOf(StorageUnavailable.class)
        .hasMessageContaining("refused in the test");
    try (var objects = files.list("")) {
      assertThat(objects).isEmpty();
    }
  }
}
