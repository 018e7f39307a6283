package dev.bulwark.backup.pitr.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.EncryptedBackupOutput;
import dev.bulwark.backup.crypto.KeepOpenOutputStream;
import dev.bulwark.backup.crypto.StreamTotals;
import dev.bulwark.backup.crypto.TestKeyrings;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.TestTargets;
import dev.bulwark.backup.pitr.PgWalSegments;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.base.BaseBackupJson;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.backup.pitr.base.BaseBackupObjects;
import dev.bulwark.backup.pitr.base.PgBaseBackupBuilder;
import dev.bulwark.backup.pitr.base.PieceSettings;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores to a point on real PostgreSQL: a base backup, rows written with known times, their WAL
 * archived (copied from pg_wal after pg_switch_wal, as the receiver would store it), then restores
 * into scratch instances of the real server.
 */
class PitrRestoreTests {

  private static final long SEGMENT = 16L * 1024 * 1024;
  private static final PieceSettings PIECES = new PieceSettings(2, 1024 * 1024);

  private static PostgresCluster cluster;
  private static Path root;
  private static FileStorage storage;
  private static AgeKeyring keyring;
  private static PitrRestorer restorer;
  private static BaseBackupManifest base;
  private static List<Instant> writtenAt;
  private static List<String> archived;

  @BeforeAll
  static void archiveABaseBackupAndRowsWithKnownTimes() throws Exception {
    root = PitrTestDirectories.create();
    storage = FileStorage.at(Files.createDirectories(root.resolve("storage")));
    keyring = TestKeyrings.generated(3);
    cluster = PostgresCluster.start("pitr-restore");
    PostgresNode primary = cluster.primary();
    primary.execute("CREATE TABLE marks (id int PRIMARY KEY, at timestamptz NOT NULL)");
    BackupTarget target = TestTargets.superuserAt("pipeline", primary.port());
    BackupTargets targets =
        new BackupTargets(
            Map.of(
                "pipeline", target,
                "gappy", target,
                "unarchived", target,
                "holed", target,
                "altered", target,
                "legacy", target));
    // Pieces of 1 MiB: every restore below extracts many pieces side by side.
    base = PgBaseBackupBuilder.of(targets, storage, keyring).pieces(PIECES).build().run("pipeline");

    // Each row its own transaction: row i's time is after row i-1's commit, before its own.
    for (int i = 1; i <= 3; i++) {
      primary.execute("INSERT INTO marks VALUES (" + i + ", clock_timestamp())");
    }
    primary.execute("SELECT pg_switch_wal()");
    primary.execute("INSERT INTO marks VALUES (4, clock_timestamp())");
    String last = primary.queryValue("SELECT pg_walfile_name(pg_switch_wal())");
    writtenAt =
        primary
            .queryValue("SELECT string_agg(at::text, ',' ORDER BY id) FROM marks")
            .lines()
            .flatMap(l -> Stream.of(l.split(",")))
            .map(t -> Instant.parse(t.replace(' ', 'T').replaceFirst("\\+00$", "Z")))
            .toList();
    // Completed segments from the base backup's first to the last switched one.
    archived =
        PgWalSegments.archive(
            primary, new WalArchive(storage, keyring), "pipeline", base.startWalSegment(), last);

    restorer =
        TestRestorers.of(
            targets,
            Set.of("pipeline", "gappy", "holed", "altered", "legacy"),
            storage,
            keyring,
            root.resolve("scratch"),
            PIECES);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    PitrTestDirectories.delete(root);
  }

  @Test
  void restoresExactlyTheRowsCommittedBeforeTheAskedTime() throws Exception {
    Instant between2And3 = writtenAt.get(2);

    PitrRestoreReport report =
        restorer.restore(
            "pipeline", new RecoveryTarget.AtTime(between2And3), Optional.empty(), true, p -> {});

    assertThat(report.baseBackupId()).isEqualTo(base.backupId());
    assertThat(report.started()).isTrue();
    // The last transaction replayed is row 2's commit: after row 2's time, before row 3's.
    assertThat(report.reachedTime()).isPresent();
    assertThat(report.reachedTime().get()).isAfter(writtenAt.get(1)).isBefore(between2And3);
    assertThat(report.walFiles()).isGreaterThanOrEqualTo(1);
    assertThat(report.walBytes()).isEqualTo(report.walFiles() * SEGMENT);
    assertThat(report.phaseSeconds()).containsKeys("fetch-wal", "extract", "verify", "recover");
    assertThat(
            RestoredDirectory.query(
                Path.of(report.dataDirectory()), "SELECT id FROM marks ORDER BY id"))
        .containsExactly("1", "2");
  }

  @Test
  void restoresToLatestEveryArchivedRow() throws Exception {
    PitrRestoreReport report =
        restorer.restore("pipeline", new RecoveryTarget.Latest(), Optional.empty(), true, p -> {});

    // Many pieces, extracted side by side: pg_verifybackup accepted every file of them.
    assertThat(base.tarPieces()).hasSizeGreaterThan(2);
    // Every archived segment from the base backup's start is fetched, nothing more.
    assertThat(report.walFiles()).isEqualTo(archived.size());
    assertThat(report.reachedTime().get()).isAfter(writtenAt.get(3));
    assertThat(report.tables()).contains(1L);
    assertThat(
            RestoredDirectory.query(
                Path.of(report.dataDirectory()), "SELECT id FROM marks ORDER BY id"))
        .containsExactly("1", "2", "3", "4");
  }

  @Test
  void aTimeBeforeTheOldestBaseBackupIsRefusedWithTheWindow() {
    Instant before = base.finishedAt().minusSeconds(3600);

    assertThatThrownBy(
            () -> restorer.plan("pipeline", new RecoveryTarget.AtTime(before), Optional.empty()))
        .isInstanceOfSatisfying(
            TargetOutsideWindow.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.window().from()).isEqualTo(base.finishedAt());
              assertThat(e.window().to()).isAfter(writtenAt.get(3));
            });
  }

  @Test
  void aTimeAfterTheNewestWalIsRefusedWithTheWindow() {
    Instant after = Instant.now().plusSeconds(3600);

    assertThatThrownBy(
            () -> restorer.plan("pipeline", new RecoveryTarget.AtTime(after), Optional.empty()))
        .isInstanceOfSatisfying(
            TargetOutsideWindow.class, e -> assertThat(e.window().to()).isBefore(after));
  }

  @Test
  void aMissingMiddleSegmentIsRefusedBeforeAnythingIsFetchedNamingIt() throws IOException {
    // The same backup and WAL under another target, with one segment after the base backup gone.
    copyTarget("pipeline", "gappy");
    String missing = archived.get(archived.size() - 2);
    assertThat(missing.compareTo(base.endWalSegment())).isPositive();
    new WalArchive(storage, keyring).delete("gappy", missing);

    assertThatThrownBy(() -> restorer.plan("gappy", new RecoveryTarget.Latest(), Optional.empty()))
        .isInstanceOf(WalGapFound.class)
        .hasMessageContaining("misses segment " + missing);
  }

  @Test
  void aMissingPieceFailsTheRestoreBeforeAnyWalIsFetchedNamingIt() throws IOException {
    copyTarget("pipeline", "holed");
    String missing = base.tarPieces().get(1);
    storage.delete(BaseBackupObjects.keyOf("holed", base.backupId(), missing));
    List<String> phases = new ArrayList<>();

    assertThatThrownBy(
            () ->
                restorer.restore(
                    "holed", new RecoveryTarget.Latest(), Optional.empty(), true, phases::add))
        .isInstanceOf(RecoveryFailed.class)
        .hasMessageContaining("piece " + missing + " of base backup " + base.backupId())
        .hasMessageContaining("missing from storage");
    assertThat(phases).isEmpty();
  }

  @Test
  void anAlteredPieceFailsTheRestoreNamingIt() throws IOException {
    copyTarget("pipeline", "altered");
    // The biggest piece is extracted first: alter the last one, which runs beside others.
    String altered = base.tarPieces().get(base.tarPieces().size() - 1);
    Path file =
        root.resolve("storage")
            .resolve(BaseBackupObjects.keyOf("altered", base.backupId(), altered).value());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(file, bytes);

    assertThatThrownBy(
            () ->
                restorer.restore(
                    "altered", new RecoveryTarget.Latest(), Optional.empty(), true, p -> {}))
        .isInstanceOf(RecoveryFailed.class)
        .hasMessageContaining("piece " + altered + " of base backup " + base.backupId())
        .hasMessageContaining("fails authentication");
  }

  @Test
  void aBaseBackupStoredAsOneTarBeforePiecesStillRestores() throws Exception {
    // The layout before pieces: pg_basebackup's tar as one base.tar.zst.age. The pieces joined
    // again (each but the last less the end of archive the cutter added) are that tar.
    copyTarget("pipeline", "legacy");
    BaseBackupManifest legacy = asOneTar("legacy", base);
    assertThat(legacy.tarPieces()).containsExactly(BaseBackupObjects.BASE_TAR);

    PitrRestoreReport report =
        restorer.restore("legacy", new RecoveryTarget.Latest(), Optional.empty(), true, p -> {});

    assertThat(report.baseBackupId()).isEqualTo(base.backupId());
    assertThat(
            RestoredDirectory.query(
                Path.of(report.dataDirectory()), "SELECT id FROM marks ORDER BY id"))
        .containsExactly("1", "2", "3", "4");
  }

  private static BaseBackupManifest asOneTar(String target, BaseBackupManifest pieced)
      throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    List<String> pieces = pieced.tarPieces();
    for (int i = 0; i < pieces.size(); i++) {
      ObjectKey key = BaseBackupObjects.keyOf(target, pieced.backupId(), pieces.get(i));
      try (InputStream stored = storage.get(key);
          InputStream raw = BackupStreams.decrypt(stored, keyring.identities())) {
        byte[] piece = raw.readAllBytes();
        boolean last = i == pieces.size() - 1;
        tar.write(piece, 0, last ? piece.length : piece.length - 1024);
      }
      storage.delete(key);
    }
    AtomicReference<StreamTotals> totals = new AtomicReference<>();
    storage.put(
        BaseBackupObjects.keyOf(target, pieced.backupId(), BaseBackupObjects.BASE_TAR),
        out -> {
          EncryptedBackupOutput encrypted =
              BackupStreams.encrypt(
                  new KeepOpenOutputStream(out), keyring.recipient().orElseThrow(), keyring.zstd());
          try (encrypted) {
            encrypted.write(tar.toByteArray());
          }
          totals.set(encrypted.totals());
        });
    Map<String, BaseBackupManifest.StoredPart> objects = new LinkedHashMap<>();
    objects.put(
        BaseBackupObjects.BASE_TAR,
        new BaseBackupManifest.StoredPart(
            totals.get().rawBytes(), totals.get().storedBytes(), totals.get().storedSha256()));
    objects.put(BaseBackupObjects.PG_MANIFEST, pieced.objects().get(BaseBackupObjects.PG_MANIFEST));
    BaseBackupManifest legacy = rewrite(target, pieced, objects);
    return legacy;
  }

  // The manifest.json of a base backup copied to another target, naming it and these objects.
  private static BaseBackupManifest rewrite(
      String target, BaseBackupManifest from, Map<String, BaseBackupManifest.StoredPart> objects)
      throws IOException {
    BaseBackupManifest copy =
        new BaseBackupManifest(
            target,
            from.backupId(),
            from.startedAt(),
            from.finishedAt(),
            from.serverVersion(),
            from.timeline(),
            from.startLsn(),
            from.endLsn(),
            from.startWalSegment(),
            from.endWalSegment(),
            from.walSegmentSize(),
            from.walIncluded(),
            objects,
            from.keyId());
    storage.put(
        BaseBackupObjects.keyOf(target, from.backupId(), BaseBackupObjects.MANIFEST),
        new ByteArrayInputStream(BaseBackupJson.write(copy)));
    return copy;
  }

  private static void copyTarget(String from, String to) throws IOException {
    List<StoredObject> objects;
    try (Stream<StoredObject> listed = storage.list("pitr/" + from + "/")) {
      objects = listed.toList();
    }
    for (StoredObject o : objects) {
      try (InputStream in = storage.get(o.key())) {
        storage.put(
            ObjectKey.of(o.key().value().replaceFirst("^pitr/" + from + "/", "pitr/" + to + "/")),
            in);
      }
    }
    rewrite(to, base, base.objects());
  }
}
