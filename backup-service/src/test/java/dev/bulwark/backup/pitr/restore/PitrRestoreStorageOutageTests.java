package dev.bulwark.backup.pitr.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.backup.pitr.base.BaseBackups;
import dev.bulwark.backup.pitr.base.PgBaseBackup;
import dev.bulwark.backup.pitr.base.PieceSettings;
import dev.bulwark.backup.pitr.base.PitrTargets;
import dev.bulwark.backup.storage.ForwardingStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.ObjectStorages;
import dev.bulwark.backup.storage.S3Clients;
import dev.bulwark.backup.storage.StorageConfigs;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.S3Server;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 killed (SIGKILL) in the middle of a restore to a point, on real PostgreSQL and S3Proxy: the
 * restore fails naming the storage, and leaves no half-restored directory that could be started.
 */
class PitrRestoreStorageOutageTests {

  private static final String BUCKET = "pitr-outage";
  // Pieces of 1 MiB: the base backup is many objects, as a large one is with the defaults.
  private static final PieceSettings PIECES = new PieceSettings(2, 1024 * 1024);
  private static Path root;
  private static PostgresCluster cluster;
  private static S3Server server;
  private static AgeKeyring keyring;
  private static BackupTargets targets;
  private static final PgDumpBinary BINARIES =
      new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql"));

  @BeforeAll
  static void archiveABaseBackupAndItsWalInS3() throws IOException {
    root = Path.of("target", "pitr-tests", UUID.randomUUID().toString()).toAbsolutePath();
    Files.createDirectories(root);
    cluster = PostgresCluster.start("pitr-s3-outage");
    PostgresNode primary = cluster.primary();
    server = S3Server.start();
    try (S3Client admin = S3Clients.of(server)) {
      admin.createBucket(b -> b.bucket(BUCKET));
    }
    AgeIdentity identity = AgeKeys.generate();
    keyring =
        new AgeKeyring(
            Optional.of(identity.recipient().keyId()),
            Optional.of(identity.secretString()),
            new ZstdSettings(1, 0));
    targets =
        new BackupTargets(
            Map.of(
                "pipeline",
                new BackupTarget(
                    "pipeline",
                    "127.0.0.1",
                    primary.port(),
                    "postgres",
                    Optional.of("postgres"),
                    Optional.empty())));
    try (ObjectStorage storage = storage()) {
      BaseBackupManifest base =
          new PgBaseBackup(
                  targets,
                  storage,
                  keyring,
                  BINARIES,
                  Clock.systemUTC(),
                  PIECES,
                  t -> Optional.empty())
              .run("pipeline");
      primary.execute("CREATE TABLE marks AS SELECT generate_series(1, 1000) AS id");
      // About 24 MB that neither TOAST nor zstd can shrink (md5 digests as bytes): WAL segments
      // stored at nearly their 16 MB, more than the sockets between S3Proxy and us buffer.
      primary.execute(
          "CREATE TABLE noise AS SELECT i AS id, decode(string_agg(md5(i::text || ':' || j), ''),"
              + " 'hex') AS body FROM generate_series(1, 3000) i, generate_series(1, 500) j"
              + " GROUP BY i");
      String last = primary.queryValue("SELECT pg_walfile_name(pg_switch_wal())");
      WalArchive archive = new WalArchive(storage, keyring);
      try (Stream<Path> files = Files.list(primary.dataDir().resolve("pg_wal"))) {
        for (Path segment :
            files
                .filter(p -> WalSegmentName.isSegmentName(p.getFileName().toString()))
                .filter(p -> p.getFileName().toString().compareTo(base.startWalSegment()) >= 0)
                .filter(p -> p.getFileName().toString().compareTo(last) <= 0)
                .sorted()
                .toList()) {
          archive.putSegment("pipeline", segment);
        }
      }
    }
  }

  @BeforeEach
  void storageRuns() {
    if (!server.isRunning()) {
      server = server.startAgain();
    }
  }

  @AfterEach
  void storageBack() {
    storageRuns();
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (root != null && Files.exists(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void storageDyingWhileWalIsFetchedFailsNamingItAndLeavesNoScratchDirectory() throws Exception {
    Path scratch = root.resolve("scratch-" + UUID.randomUUID());
    try (ObjectStorage storage = storage()) {
      PitrRestorer restorer = restorer(storage, scratch);

      assertThatThrownBy(
              () ->
                  restorer.restore(
                      "pipeline",
                      new RecoveryTarget.Latest(),
                      Optional.empty(),
                      true,
                      phase -> killStorageAt("fetching-wal", phase)))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("object storage s3://" + BUCKET);
    }
    assertThat(server.isRunning()).isFalse();
    assertThat(entries(scratch)).isEmpty();
  }

  @Test
  void storageDyingWhileTheBaseBackupIsExtractedEmptiesTheOperatorsDirectoryAgain()
      throws Exception {
    Path scratch = root.resolve("scratch-" + UUID.randomUUID());
    Path restored = Files.createDirectories(root.resolve("restored-" + UUID.randomUUID()));
    try (ObjectStorage storage = storage()) {
      PitrRestorer restorer = restorer(storage, scratch);

      assertThatThrownBy(
              () ->
                  restorer.restore(
                      "pipeline",
                      new RecoveryTarget.Latest(),
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
    try (ObjectStorage storage = new KillingMidRead(storage(), 1 << 20)) {
      PitrRestorer restorer = restorer(storage, scratch);

      assertThatThrownBy(
              () ->
                  restorer.restore(
                      "pipeline", new RecoveryTarget.Latest(), Optional.empty(), true, p -> {}))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("object storage s3://" + BUCKET)
          .hasMessageContaining("cut off");
    }
    assertThat(server.isRunning()).isFalse();
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
          if (read >= after && server.isRunning()) {
            server.kill();
          }
          return n;
        }
      };
    }
  }

  private static void killStorageAt(String when, String phase) {
    if (phase.equals(when)) {
      server.kill();
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

  private static PitrRestorer restorer(ObjectStorage storage, Path scratch) {
    return new PitrRestorer(
        new PitrTargets(targets, Set.of("pipeline")),
        new BaseBackups(storage),
        new WalArchive(storage, keyring),
        storage,
        keyring,
        BINARIES,
        Clock.systemUTC(),
        scratch,
        Duration.ofMinutes(3),
        PIECES);
  }

  private static ObjectStorage storage() {
    Map<String, String> settings = new HashMap<>();
    settings.put("bulwark.backup.storage.url", "s3://" + BUCKET + "/");
    settings.put("bulwark.backup.storage.endpoint", server.endpoint().toString());
    settings.put("bulwark.backup.storage.path-style", "true");
    settings.put("bulwark.backup.storage.access-key-id", S3Server.ACCESS_KEY);
    settings.put("bulwark.backup.storage.secret-access-key", S3Server.SECRET_KEY);
    settings.put("bulwark.backup.storage.connect-timeout", "1s");
    settings.put("bulwark.backup.storage.attempt-timeout", "5s");
    return ObjectStorages.open(StorageConfigs.of(settings));
  }
}
