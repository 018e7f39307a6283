package dev.bulwark.backup.dumps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresBinaries;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One logical backup of a real PostgreSQL database, restored with the runbook's pipeline. */
class LogicalBackupTests {

  private static final ZstdSettings ZSTD = new ZstdSettings(3, 0);
  private static PostgresCluster cluster;
  private static PostgresNode db;

  @TempDir Path dir;
  private final AgeIdentity identity = AgeKeys.generate();
  private final MutableClock clock = MutableClock.todayAtNoon();
  private ObjectStorage storage;

  @BeforeAll
  static void startPipelineDatabase() {
    cluster = PostgresCluster.start("logical-backup");
    db = cluster.primary();
    db.createDatabase("pipeline");
    db.execute(
        "pipeline",
        """
        CREATE TABLE leads (
          id int PRIMARY KEY, homepage text, enrichment jsonb, score numeric(10,4),
          html bytea, crawled_at timestamptz, tags text[]);
        INSERT INTO leads
          SELECT i, 'https://example.com/' || i, jsonb_build_object('rank', i, 'ok', i % 2 = 0),
                 i / 7.0, decode(md5(i::text), 'hex'),
                 timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute',
                 ARRAY['t' || i % 5, 'u' || i % 3]
            FROM generate_series(1, 3000) i;
        CREATE SCHEMA crawl;
        CREATE TABLE crawl."Page Visits" (id bigserial PRIMARY KEY, lead int, at timestamptz);
        INSERT INTO crawl."Page Visits" (lead, at)
          SELECT i % 300, now() FROM generate_series(1, 1234) i;
        CREATE TABLE outbox (id int PRIMARY KEY, body text);
        """);
  }

  @AfterAll
  static void stopPipelineDatabase() {
    cluster.close();
  }

  @BeforeEach
  void openStorage() {
    storage = FileStorage.at(dir.resolve("storage"));
  }

  @Test
  void aBackupRestoresWithTheRunbookPipelineToTheCountsOfItsManifest() throws Exception {
    BackupManifest manifest = backup(target("pipeline"), keyring()).run("pipeline");

    assertThat(manifest.rowCounts())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of("crawl.Page Visits", 1234L, "public.leads", 3000L, "public.outbox", 0L)));
    assertThat(manifest.serverVersionNum())
        .isEqualTo(Integer.parseInt(db.queryValue("SHOW server_version_num")));
    assertThat(manifest.target()).isEqualTo("pipeline");
    assertThat(manifest.ageRecipient()).isEqualTo(identity.recipient().keyId());
    assertThat(manifest.startedAt()).isEqualTo(clock.instant());
    assertThat(manifest.dumpKey())
        .isEqualTo("backups/pipeline/" + manifest.backupId() + "/dump.age");
    StoredObject dump = storage.head(ObjectKey.of(manifest.dumpKey())).orElseThrow();
    assertThat(dump.size()).isEqualTo(manifest.storedBytes());
    assertThat(sha256(ObjectKey.of(manifest.dumpKey()))).isEqualTo(manifest.storedSha256());
    assertThat(manifest.rawBytes()).isGreaterThan(3000L * 16);

    db.createDatabase("restored");
    restore(manifest, "restored");

    for (Map.Entry<String, Long> table : manifest.rowCounts().entrySet()) {
      String[] name = table.getKey().split("\\.", 2);
      assertThat(
              db.queryValue(
                  "restored", "SELECT count(*) FROM \"" + name[0] + "\".\"" + name[1] + "\""))
          .as(table.getKey())
          .isEqualTo(Long.toString(table.getValue()));
    }
    String content = "SELECT md5(string_agg(l::text, '|' ORDER BY id)) FROM leads l";
    assertThat(db.queryValue("restored", content)).isEqualTo(db.queryValue("pipeline", content));
  }

  @Test
  void theManifestIsReadBackAsWritten() throws Exception {
    BackupManifest manifest = backup(target("pipeline"), keyring()).run("pipeline");

    assertThat(backups().of("pipeline")).containsExactly(manifest);
  }

  @Test
  void aWrongDatabaseNameIsATypedFailureThatWritesNothing() {
    LogicalBackup logical = backup(target("no_such_db"), keyring());

    assertThatThrownBy(() -> logical.run("pipeline"))
        .isInstanceOf(SnapshotUnavailable.class)
        .hasMessageContaining("'pipeline'")
        .hasMessageContaining("no_such_db");
    assertThat(storage.list("").toList()).isEmpty();
  }

  @Test
  void aPgDumpThatExitsWithAnErrorDeletesItsDumpAndWritesNoManifest() throws Exception {
    // The real pg_dump, made to fail after the snapshot is exported: a wrapper appends a
    // snapshot id that no transaction exported (the last --snapshot wins).
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake = bin.resolve("pg_dump");
    Files.writeString(
        fake,
        "#!/bin/sh\n"
            + "'"
            + PostgresBinaries.tool("pg_dump")
            + "' \"$@\" --snapshot=00000000-0000000F-1\n");
    fake.toFile().setExecutable(true);
    LogicalBackup logical =
        new LogicalBackup(
            new BackupTargets(Map.of("pipeline", target("pipeline"))),
            storage,
            keyring(),
            new PgDumpBinary(Optional.of(bin), Path.of("/nonexistent")),
            clock);

    assertThatThrownBy(() -> logical.run("pipeline"))
        .isInstanceOfSatisfying(
            DumpFailed.class,
            failed -> {
              assertThat(failed.exitStatus()).isEqualTo(1);
              assertThat(failed.stderr()).contains("snapshot");
            })
        .hasMessageContaining("exited with status 1");
    assertThat(storage.list("backups/").toList()).isEmpty();
    assertThat(backups().of("pipeline")).isEmpty();
  }

  @Test
  void rowsWrittenWhilePgDumpRunsAreNeitherCountedNorDumped() throws Exception {
    db.createDatabase("busy");
    db.execute(
        "busy",
        "CREATE TABLE jobs (id int PRIMARY KEY); INSERT INTO jobs SELECT generate_series(1, 100)");
    // pg_dump starts only after the snapshot is exported and counted; the wrapper commits 50 more
    // rows just before it, so only a dump in the exported snapshot leaves them out.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path wrapper = bin.resolve("pg_dump");
    Files.writeString(
        wrapper,
        String.format(
            "#!/bin/sh%n'%s' -q -h %s -p %d -U %s -d busy"
                + " -c 'INSERT INTO jobs SELECT generate_series(101, 150)' >/dev/null || exit 9%n"
                + "exec '%s' \"$@\"%n",
            PostgresBinaries.tool("psql"),
            db.host(),
            db.port(),
            db.user(),
            PostgresBinaries.tool("pg_dump")));
    wrapper.toFile().setExecutable(true);
    LogicalBackup logical =
        new LogicalBackup(
            new BackupTargets(Map.of("pipeline", target("busy"))),
            storage,
            keyring(),
            new PgDumpBinary(Optional.of(bin), Path.of("/nonexistent")),
            clock);

    BackupManifest manifest = logical.run("pipeline");
    db.createDatabase("busy_restored");
    restore(manifest, "busy_restored");

    assertThat(db.queryValue("busy", "SELECT count(*) FROM jobs")).isEqualTo("150");
    assertThat(manifest.rowCounts()).containsExactly(Map.entry("public.jobs", 100L));
    assertThat(db.queryValue("busy_restored", "SELECT count(*) || ' ' || max(id) FROM jobs"))
        .isEqualTo("100 100");
  }

  @Test
  void aMissingRecipientIsRefusedBeforeTheTargetIsContacted() {
    // Port 1 refuses connections: reaching the target first would fail differently.
    BackupTarget unreachable =
        new BackupTarget(
            "pipeline", "127.0.0.1", 1, "pipeline", Optional.empty(), Optional.empty());
    LogicalBackup logical =
        new LogicalBackup(
            new BackupTargets(Map.of("pipeline", unreachable)),
            storage,
            new AgeKeyring(Optional.empty(), Optional.empty(), ZSTD),
            new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql")),
            clock);

    assertThatThrownBy(() -> logical.run("pipeline"))
        .isInstanceOf(RecipientMissing.class)
        .hasMessageContaining("BULWARK_BACKUP_AGE_RECIPIENT");
    assertThat(storage.list("").toList()).isEmpty();
  }

  @Test
  void anUnknownTargetIsNotFound() {
    assertThatThrownBy(() -> backup(target("pipeline"), keyring()).run("crm"))
        .isInstanceOf(TargetNotFound.class)
        .hasMessageContaining("'crm'")
        .hasMessageContaining("[pipeline]");
    assertThatThrownBy(() -> backups().of("crm")).isInstanceOf(TargetNotFound.class);
  }

  @Test
  void aListingIsNewestFirstAndIgnoresADumpWithoutManifest() throws Exception {
    LogicalBackup logical = backup(target("pipeline"), keyring());
    BackupManifest older = logical.run("pipeline");
    clock.advance(Duration.ofHours(1));
    BackupManifest newer = logical.run("pipeline");
    storage.put(
        ObjectKey.of("backups/pipeline/29991231T000000Z-ffffff/dump.age"),
        new ByteArrayInputStream(new byte[] {1, 2, 3}));

    assertThat(backups().of("pipeline")).containsExactly(newer, older);
    assertThat(newer.startedAt()).isEqualTo(older.startedAt().plus(Duration.ofHours(1)));
  }

  private LogicalBackup backup(BackupTarget target, AgeKeyring keyring) {
    return new LogicalBackup(
        new BackupTargets(Map.of(target.name(), target)),
        storage,
        keyring,
        new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql")),
        clock);
  }

  private Backups backups() {
    return new Backups(new BackupTargets(Map.of("pipeline", target("pipeline"))), storage);
  }

  private AgeKeyring keyring() {
    return new AgeKeyring(Optional.of(identity.recipient().keyId()), Optional.empty(), ZSTD);
  }

  private static BackupTarget target(String database) {
    return BackupTarget.parse(
        "pipeline",
        "postgresql://" + db.host() + ":" + db.port() + "/" + database,
        Optional.of(db.user()),
        Optional.empty());
  }

  private String sha256(ObjectKey key) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = storage.get(key)) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** docs/runbooks/restore.md: age -d | zstd -d | pg_restore, on the stored object as a file. */
  private void restore(BackupManifest manifest, String database) throws Exception {
    Path stored = dir.resolve("dump.age");
    try (InputStream in = storage.get(ObjectKey.of(manifest.dumpKey()))) {
      Files.copy(in, stored);
    }
    Path keyFile = dir.resolve("identity.txt");
    Files.writeString(keyFile, identity.secretString() + "\n");
    String url = "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + database;
    Process shell =
        new ProcessBuilder(
                "bash",
                "-o",
                "pipefail",
                "-c",
                String.format(
                    "age -d -i '%s' '%s' | zstd -d | '%s' --dbname '%s' --no-owner --exit-on-error",
                    keyFile, stored, PostgresBinaries.tool("pg_restore"), url))
            .redirectErrorStream(true)
            .start();
    String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(shell.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(shell.exitValue()).as(output).isZero();
  }
}
