package dev.bulwark.backup.pitr.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.TestKeyrings;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.TestTargets;
import dev.bulwark.backup.pitr.PgWalSegments;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.backup.pitr.base.PgBaseBackupBuilder;
import dev.bulwark.backup.pitr.base.PieceSettings;
import dev.bulwark.backup.storage.ClusterAndBucket;
import dev.bulwark.backup.storage.ForwardingStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.testing.PostgresNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S3 killed (SIGKILL) in the middle of a restore to a point, on real PostgreSQL and S3Proxy: the
 * restore fails naming the storage, and leaves no half-restored directory that could be started.
 */
class PitrRestoreStorageOutageTests {

  private static final String BUCKET = "pitr-outage";
  // Pieces of 1 MiB: the base backup is many objects, as a large one is with the defaults.
  private static final PieceSettings PIECES = new PieceSettings(2, 1024 * 1024);
  private static Path root;
  private static ClusterAndBucket fixture;
  private static AgeKeyring keyring;
  private static BackupTargets targets;

  @BeforeAll
  static void archiveABaseBackupAndItsWalInS3() throws IOException {
    root = PitrTestDirectories.create();
    fixture = ClusterAndBucket.start("pitr-s3-outage", BUCKET);
    PostgresNode primary = fixture.primary();
    keyring = TestKeyrings.generated(1);
    targets = TestTargets.only("pipeline", primary.port());
    try (ObjectStorage storage = fixture.bucket().storage()) {
      BaseBackupManifest base =
          PgBaseBackupBuilder.of(targets, storage, keyring).pieces(PIECES).build().run("pipeline");
      primary.execute("CREATE TABLE marks AS SELECT generate_series(1, 1000) AS id");
      // About 24 MB that neither TOAST nor zstd can shrink (md5 digests as bytes): WAL segments
      // stored at nearly their 16 MB, more than the sockets between S3Proxy and us buffer.
      primary.execute(
          "CREATE TABLE noise AS SELECT i AS id, decode(string_agg(md5(i::text || ':' || j), ''),"
              + " 'hex') AS body FROM generate_series(1, 3000) i, generate_series(1, 500) j"
              + " GROUP BY i");
      String last = primary.queryValue("SELECT pg_walfile_name(pg_switch_wal())");
      PgWalSegments.archive(
          primary, new WalArchive(storage, keyring), "pipeline", base.startWalSegment(), last);
    }
  }

  @BeforeEach
  void storageRuns() {
    if (!fixture.bucket().isRunning()) {
      fixture.bucket().startAgain();
    }
  }

  @AfterEach
  void storageBack() {
    storageRuns();
  }

  @AfterAll
  static void stop() throws IOException {
    if (fixture != null) {
      fixture.close();
    }
    PitrTestDirectories.delete(root);
  }

  @Test
  void storageDyingWhileWalIsFetchedFailsNamingItAndLeavesNoScratchDirectory() throws Exception {
    Path scratch = root.resolve("scratch-" + UUID.randomUUID());
    try (ObjectStorage storage = fixture.bucket().storage()) {
      assertThatThrownBy(
              restoringLatest(
                  storage,
                  scratch,
                  Optional.empty(),
                  true,
                  phase -> killStorageAt("fetching-wal", phase)))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("object storage s3://" + BUCKET);
    }
    assertThat(fixture.bucket().isRunning()).isFalse();
    assertThat(entries(scratch)).isEmpty();
  }

  @Test
  void storageDyingWhileTheBaseBackupIsExtractedEmptiesTheOperatorsDirectoryAgain()
      throws Exception {
    Path scratch = root.resolve("scratch-" + UUID.randomUUID());
    Path restored = Files.createDirectories(root.resolve("restored-" + UUID.randomUUID()));
    try (ObjectStorage storage = fixture.bucket().storage()) {
      assertThatThrownBy(
              restoringLatest(
                  storage,
                  scratch,
                  Optional.of(restored),
                  false,
                  phase -> killStorageAt("extracting", phase)))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("object storage s3://" + BUCKET);
    }
    // The operator's directory is there and empty again (a second try is not refused), and the
    // WAL fetched before the kill is gone with the scratch directory.
    assertThat(restored).isDirectory();
    assertThat(entries(restored)).isEmpty();
    assertThat(entries(scratch)).isEmpty();
  }

  @Test
  void storageDyingInTheMiddleOfAWalSegmentFailsNamingItNotAsAlteredData() throws Exception {
    Path scratch = root.resolve("scratch-" + UUID.randomUUID());
    try (ObjectStorage storage = new KillingMidRead(fixture.bucket().storage(), 1 << 20)) {
      assertThatThrownBy(restoringLatest(storage, scratch, Optional.empty(), true, p -> {}))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("object storage s3://" + BUCKET)
          .hasMessageContaining("cut off");
    }
    assertThat(fixture.bucket().isRunning()).isFalse();
    assertThat(entries(scratch)).isEmpty();
  }

  /**
   * The real S3 storage, whose server is killed (SIGKILL) once a test has read {@code after} bytes
   * of a WAL object larger than 8 MB: the rest of its body is still on its way.
   */
  private static final class KillingMidRead extends ForwardingStorage {
    private final ObjectStorage s3;
    private final long after;

    KillingMidRead(ObjectStorage s3, long after) {
      super(s3);
      this.s3 = s3;
      this.after = after;
    }

    @Override
    public InputStream get(ObjectKey key) {
      boolean large =
          key.value().contains("/wal/") && s3.head(key).map(o -> o.size() > 8 << 20).orElse(false);
      InputStream body = s3.get(key);
      if (!large) {
        return body;
      }
      return new FilterInputStream(body) {
        private long read;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          read += Math.max(n, 0);
          if (read >= after && fixture.bucket().isRunning()) {
            fixture.bucket().kill();
          }
          return n;
        }
      };
    }
  }

  private static void killStorageAt(String when, String phase) {
    if (phase.equals(when)) {
      fixture.bucket().kill();
    }
  }

  private static List<Path> entries(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> listed = Files.list(dir)) {
      return listed.toList();
    }
  }

  /** Restoring target {@code pipeline} to latest from {@code storage}, into {@code directory}. */
  private static ThrowingCallable restoringLatest(
      ObjectStorage storage,
      Path scratch,
      Optional<Path> directory,
      boolean start,
      Consumer<String> phases) {
    PitrRestorer restorer =
        TestRestorers.of(targets, Set.of("pipeline"), storage, keyring, scratch, PIECES);
    return () ->
        restorer.restore("pipeline", new RecoveryTarget.Latest(), directory, start, phases);
  }
}
