package dev.bulwark.backup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restores of real backups into databases of a real PostgreSQL server. */
class BackupRestorerTests {

  private static PostgresCluster cluster;
  private static PostgresNode db;

  @TempDir Path dir;
  private BackedUpDatabase fixture;
  private BackupManifest manifest;

  /** Each update, as the job runner would receive it. */
  private record Update(long bytesRead, long bytesTotal, int tablesDone, int tablesTotal) {}

  private final List<Update> updates = new CopyOnWriteArrayList<>();
  private final RestoreProgress progress =
      (bytesRead, bytesTotal, tablesDone, tablesTotal) ->
          updates.add(new Update(bytesRead, bytesTotal, tablesDone, tablesTotal));

  @BeforeAll
  static void startPipelineDatabase() {
    cluster = PostgresCluster.start("restore");
    db = cluster.primary();
    db.createDatabase("pipeline");
    db.execute("pipeline", BackedUpDatabase.SCHEMA);
  }

  @AfterAll
  static void stopPipelineDatabase() {
    cluster.close();
  }

  @BeforeEach
  void backUp() throws Exception {
    fixture = new BackedUpDatabase(db, FileStorage.at(dir.resolve("storage")));
    manifest = fixture.backup("pipeline");
  }

  @Test
  void aRestoreIntoANewDatabaseHasEveryTablesContentAndReportsFullProgress() throws Exception {
    fixture.clock.advance(Duration.ofMinutes(1));

    RestoreReport report = restorer().restore(request("copy_new", false), progress);

    assertThat(manifest.rowCounts()).hasSize(5);
    for (String table : manifest.rowCounts().keySet()) {
      assertThat(fixture.contentOf("copy_new", table))
          .as(table)
          .isEqualTo(fixture.contentOf("pipeline", table));
    }
    assertThat(db.queryValue("copy_new", "SELECT count(*) FROM sent_leads")).isEqualTo("1000");
    assertThat(report.databaseCreated()).isTrue();
    assertThat(report.mismatches()).isEmpty();
    assertThat(report.restoredRowCounts()).containsExactlyEntriesOf(manifest.rowCounts());
    assertThat(report.tablesRestored()).isEqualTo(5);
    assertThat(report.storedBytes()).isEqualTo(manifest.storedBytes());
    assertThat(report.startedAt()).isEqualTo(manifest.startedAt().plusSeconds(60));
    assertThat(updates).isNotEmpty();
    assertThat(updates.get(updates.size() - 1))
        .isEqualTo(new Update(manifest.storedBytes(), manifest.storedBytes(), 5, 5));
    assertThat(updates).extracting(Update::tablesDone).isSorted().contains(0, 1, 2, 3, 4, 5);
    assertThat(updates).extracting(Update::bytesRead).isSorted();
  }

  @Test
  void aNonEmptyDatabaseIsRefusedWithoutForceBeforeAnyByteAndLeftUntouched() throws Exception {
    db.createDatabase("crm");
    db.execute(
        "crm", "CREATE TABLE contacts (id int PRIMARY KEY); INSERT INTO contacts VALUES (7)");
    // Were the dump read before the check, its absence would fail differently.
    fixture.storage.delete(ObjectKey.of(manifest.dumpKey()));

    assertThatThrownBy(() -> restorer().restore(request("crm", false), progress))
        .isInstanceOfSatisfying(
            DatabaseNotEmpty.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.slug()).isEqualTo("database-not-empty");
            })
        // the table and its primary key index
        .hasMessageContaining("'crm' is not empty (2 relations");
    assertThat(
            db.queryValue(
                "crm",
                "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class"
                    + " WHERE relnamespace = 'public'::regnamespace"))
        .isEqualTo("contacts,contacts_pkey");
    assertThat(db.queryValue("crm", "SELECT id FROM contacts")).isEqualTo("7");
    assertThat(updates).isEmpty();
  }

  @Test
  void theDatabaseTheBackupCameFromIsRefusedWithoutForce() {
    assertThatThrownBy(() -> restorer().restore(request("pipeline", false), progress))
        .isInstanceOf(DatabaseNotEmpty.class)
        .hasMessageContaining("'pipeline'");
    assertThat(updates).isEmpty();
  }

  @Test
  void anExistingEmptyDatabaseIsRestoredWithoutForce() throws Exception {
    db.createDatabase("empty_one");

    RestoreReport report = restorer().restore(request("empty_one", false), progress);

    assertThat(report.databaseCreated()).isFalse();
    assertThat(report.mismatches()).isEmpty();
    assertThat(fixture.contentOf("empty_one", "public.leads"))
        .isEqualTo(fixture.contentOf("pipeline", "public.leads"));
  }

  @Test
  void withForceTheBackupReplacesItsObjectsAndOthersAreKept() throws Exception {
    db.createDatabase("drifted");
    db.execute(
        "drifted",
        """
        CREATE TABLE leads (id int PRIMARY KEY, homepage text);
        INSERT INTO leads VALUES (1, 'stale'), (99999, 'gone after the restore');
        CREATE TABLE notes (id int);
        INSERT INTO notes VALUES (1), (2);
        """);

    RestoreReport report = restorer().restore(request("drifted", true), progress);

    assertThat(fixture.contentOf("drifted", "public.leads"))
        .isEqualTo(fixture.contentOf("pipeline", "public.leads"));
    assertThat(fixture.contentOf("drifted", "crawl.Page Visits"))
        .isEqualTo(fixture.contentOf("pipeline", "crawl.Page Visits"));
    assertThat(db.queryValue("drifted", "SELECT count(*) FROM notes")).isEqualTo("2");
    assertThat(report.databaseCreated()).isFalse();
    assertThat(report.mismatches())
        .containsExactly(
            "table public.notes is not in the manifest but has 2 rows after the restore");
  }

  @Test
  void aForcedRestoreThatPgRestoreCannotFinishCarriesItsExitStatusAndStderr() throws Exception {
    db.createDatabase("pinned");
    // A view the backup does not know depends on its table: --clean cannot drop that table.
    db.execute(
        "pinned",
        "CREATE TABLE outbox (id int PRIMARY KEY, body text);"
            + " CREATE VIEW outbox_ids AS SELECT id FROM outbox");

    assertThatThrownBy(() -> restorer().restore(request("pinned", true), progress))
        .isInstanceOfSatisfying(
            RestoreFailed.class,
            e -> {
              assertThat(e.exitStatus()).isEqualTo(1);
              assertThat(e.stderrTail()).contains("outbox_ids").contains("depends on");
              assertThat(e.status()).isEqualTo(503);
            })
        .hasMessageContaining("pg_restore exited with status 1");
    assertThat(db.queryValue("pinned", "SELECT count(*) FROM outbox_ids")).isEqualTo("0");
  }

  @Test
  void aNameThatIsNotAPlainIdentifierIsABadRequest() {
    for (String name :
        List.of("", "1st", "crm-copy", "x; DROP DATABASE pipeline", "a".repeat(64), "template1")) {
      assertThatThrownBy(() -> restorer().restore(request(name, false), progress))
          .as(name)
          .isInstanceOfSatisfying(
              InvalidDatabaseName.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("database");
              });
    }
    assertThat(db.queryValue("SELECT count(*) FROM pg_database WHERE datname LIKE '%DROP%'"))
        .isEqualTo("0");
  }

  @Test
  void aBackupForAKeyNotConfiguredIsRefusedBeforeTheDatabaseIsCreated() {
    BackupRestorer restorer =
        restorer(
            fixture.pipeline(
                BackedUpDatabase.keyring(AgeKeys.generate()), java.util.Optional.empty()));

    assertThatThrownBy(() -> restorer.restore(request("never_made", false), progress))
        .isInstanceOf(KeyNotAvailable.class)
        .hasMessageContaining(manifest.ageRecipient());
    assertThat(db.queryValue("SELECT count(*) FROM pg_database WHERE datname = 'never_made'"))
        .isEqualTo("0");
  }

  @Test
  void anUnknownBackupIsNotFound() {
    assertThatThrownBy(
            () ->
                restorer()
                    .restore(
                        new RestoreRequest("pipeline", "20200101T000000Z-000000", "x", false),
                        progress))
        .isInstanceOf(BackupNotFound.class);
  }

  @Test
  void aCorruptedBackupIsRefusedNamingTheChecksumAndTheDatabaseItMadeIsDropped() throws Exception {
    fixture.flipTheMiddleByte(manifest);

    assertThatThrownBy(() -> restorer().restore(request("from_corrupt", false), progress))
        .isInstanceOfSatisfying(
            BackupCorrupted.class,
            e ->
                assertThat(e.mismatches())
                    .anySatisfy(m -> assertThat(m).contains("SHA-256"))
                    .anySatisfy(m -> assertThat(m).contains("does not decrypt")))
        .hasMessageContaining(manifest.storedSha256());
    assertThat(db.queryValue("SELECT count(*) FROM pg_database WHERE datname = 'from_corrupt'"))
        .isEqualTo("0");
  }

  @Test
  void memoryStaysFlatWhileALargeBackupStreams() throws Exception {
    db.createDatabase("bulky");
    // 32 MiB of random bytes: zstd cannot shrink them, so the stored object is as large.
    db.execute(
        "bulky",
        """
        CREATE TABLE blobs (id int PRIMARY KEY, body bytea);
        INSERT INTO blobs
          SELECT i, (SELECT decode(string_agg(md5(random()::text || i || j), ''), 'hex')
                       FROM generate_series(1, 64) j)
            FROM generate_series(1, 32768) i;
        """);
    BackupManifest bulky = fixture.backup("bulky");
    assertThat(bulky.storedBytes()).isGreaterThan(32L << 20);
    long heapBefore = heapAfterGc();
    long[] heapHalfWay = {-1};
    RestoreProgress measuring =
        (bytesRead, bytesTotal, tablesDone, tablesTotal) -> {
          if (heapHalfWay[0] < 0 && bytesRead >= bytesTotal / 2) {
            heapHalfWay[0] = heapAfterGc();
          }
        };

    RestoreReport report =
        new BackupRestorer(
                fixture.targets("bulky"),
                fixture.backups("bulky"),
                fixture.pipeline(),
                fixture.clock)
            .restore(
                new RestoreRequest("pipeline", bulky.backupId(), "bulky_copy", false), measuring);

    assertThat(report.mismatches()).isEmpty();
    assertThat(fixture.contentOf("bulky_copy", "public.blobs"))
        .isEqualTo(fixture.contentOf("bulky", "public.blobs"));
    assertThat(heapHalfWay[0]).isPositive();
    assertThat(heapHalfWay[0] - heapBefore)
        .as(
            "live heap half way through a %d-byte object: a few buffers, not the object",
            bulky.storedBytes())
        .isLessThan(8L << 20);
  }

  /** Live heap after a full collection. */
  private static long heapAfterGc() {
    System.gc();
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private BackupRestorer restorer() {
    return restorer(fixture.pipeline());
  }

  private BackupRestorer restorer(RestorePipeline pipeline) {
    return new BackupRestorer(
        fixture.targets("pipeline"), fixture.backups("pipeline"), pipeline, fixture.clock);
  }

  private RestoreRequest request(String database, boolean force) {
    return new RestoreRequest("pipeline", manifest.backupId(), database, force);
  }
}
