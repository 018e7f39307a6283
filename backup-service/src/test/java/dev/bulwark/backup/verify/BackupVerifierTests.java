package dev.bulwark.backup.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.restore.BackedUpDatabase;
import dev.bulwark.backup.restore.DatabaseServer;
import dev.bulwark.backup.restore.DatabaseServerUnavailable;
import dev.bulwark.backup.restore.KeyNotAvailable;
import dev.bulwark.backup.restore.RestorePipeline;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.testing.LogLines;
import dev.bulwark.testing.PostgresBinaries;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verification of real backups of a real PostgreSQL database by a restore into scratch. */
class BackupVerifierTests {

  private static final String SCRATCH_DATABASES =
      "SELECT count(*) FROM pg_database WHERE datname LIKE 'bulwark\\_verify\\_%'";

  private static PostgresCluster cluster;
  private static PostgresNode db;

  @TempDir Path dir;
  private BackedUpDatabase fixture;

  @BeforeAll
  static void startPipelineDatabase() {
    cluster = PostgresCluster.start("verify");
    db = cluster.primary();
    db.createDatabase("pipeline");
    db.execute("pipeline", BackedUpDatabase.SCHEMA);
  }

  @AfterAll
  static void stopPipelineDatabase() {
    cluster.close();
  }

  @BeforeEach
  void openStorage() {
    fixture = new BackedUpDatabase(db, FileStorage.at(dir.resolve("storage")));
  }

  @AfterEach
  void noScratchDatabaseIsLeft() {
    assertThat(db.queryValue(SCRATCH_DATABASES)).isEqualTo("0");
  }

  @Test
  void aSoundBackupPassesAndItsResultIsStoredBesideIt() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    fixture.clock.advance(Duration.ofMinutes(5));

    BackupVerification verification = verifier(Optional.empty()).verify("pipeline", id(manifest));

    assertThat(verification.passed()).as(verification.mismatches().toString()).isTrue();
    assertThat(verification.mismatches()).isEmpty();
    assertThat(verification.restoredRowCounts())
        .containsExactlyEntriesOf(manifest.rowCounts())
        .containsEntry("public.leads", 3000L)
        .containsEntry("crawl.Page Visits", 1234L)
        .containsEntry("public.outbox", 0L)
        .hasSize(5);
    assertThat(verification.startedAt()).isEqualTo(manifest.startedAt().plusSeconds(300));
    assertThat(fixture.backups("pipeline").verificationOf(manifest)).contains(verification);
  }

  @Test
  void scratchDatabasesLeftByADeadReplicaAreDroppedByTheNextVerification() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    Instant now = fixture.clock.instant();
    // What a replica killed mid-verification leaves, two days ago and an hour ago (maybe running).
    try (Connection connection = db.connect("postgres")) {
      ScratchDatabases.create(
          connection, "bulwark_verify_0000000000000001", now.minus(Duration.ofDays(2)));
      ScratchDatabases.create(
          connection, "bulwark_verify_0000000000000002", now.minus(Duration.ofHours(1)));
    }
    db.execute("CREATE DATABASE bulwark_verify_not_marked");

    try (LogLines logs = LogLines.atLeast(Level.INFO)) {
      assertThat(verifier(Optional.empty()).verify("pipeline", id(manifest)).passed()).isTrue();
      assertThat(logs.of(BackupVerifier.class.getName()))
          .singleElement()
          .asString()
          .contains("bulwark_verify_0000000000000001");
    }

    assertThat(
            db.queryValue(
                "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database"
                    + " WHERE datname LIKE 'bulwark\\_verify\\_%'"))
        .isEqualTo("bulwark_verify_0000000000000002,bulwark_verify_not_marked");
    db.execute("DROP DATABASE bulwark_verify_0000000000000002");
    db.execute("DROP DATABASE bulwark_verify_not_marked");
  }

  @Test
  void aFlippedByteFailsNamingTheChecksumAndTheDecryption() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    fixture.flipTheMiddleByte(manifest);

    BackupVerification verification = verifier(Optional.empty()).verify("pipeline", id(manifest));

    assertThat(verification.passed()).isFalse();
    assertThat(verification.mismatches())
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("SHA-256")
                    .contains("the manifest says " + manifest.storedSha256()))
        .anySatisfy(m -> assertThat(m).contains("does not decrypt").contains("chunk"))
        .noneSatisfy(m -> assertThat(m).contains("pg_restore"));
    assertThat(verification.restoredRowCounts()).isEmpty();
    assertThat(fixture.backups("pipeline").verificationOf(manifest)).contains(verification);
  }

  @Test
  void aManifestCountThatDiffersNamesTheTableAndBothCounts() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    fixture.editManifest(
        manifest, text -> text.replace("\"public.leads\" : 3000", "\"public.leads\" : 2999"));

    BackupVerification verification = verifier(Optional.empty()).verify("pipeline", id(manifest));

    assertThat(verification.passed()).isFalse();
    assertThat(verification.mismatches())
        .containsExactly(
            "table public.leads has 3000 rows after the restore, the manifest says 2999");
    assertThat(verification.restoredRowCounts()).containsEntry("public.leads", 3000L);
  }

  @Test
  void aBackupForAKeyNotConfiguredIsRefusedBeforeAnyDatabaseOrByte() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    AgeIdentity other = AgeKeys.generate();
    // Were either reached first, a missing dump or a refused port would fail differently.
    fixture.storage.delete(ObjectKey.of(manifest.dumpKey()));
    DatabaseServer down = server(1);
    BackupVerifier verifier =
        verifier(
            Optional.of(down), fixture.pipeline(BackedUpDatabase.keyring(other), Optional.empty()));

    assertThatThrownBy(() -> verifier.verify("pipeline", id(manifest)))
        .isInstanceOfSatisfying(KeyNotAvailable.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining(fixture.identity.recipient().keyId())
        .hasMessageContaining(other.recipient().keyId())
        .hasMessageNotContaining(other.secretString())
        .hasMessageNotContaining(fixture.identity.secretString());
    assertThat(fixture.backups("pipeline").verificationOf(manifest)).isEmpty();
  }

  @Test
  void anUnknownBackupIsNotFound() {
    assertThatThrownBy(
            () -> verifier(Optional.empty()).verify("pipeline", "20260101T000000Z-abcdef"))
        .isInstanceOfSatisfying(BackupNotFound.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("'20260101T000000Z-abcdef'")
        .hasMessageContaining("'pipeline'");
  }

  @Test
  void aScratchServerThatIsDownIsUnavailableAndStoresNoResult() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");

    assertThatThrownBy(() -> verifier(Optional.of(server(1))).verify("pipeline", id(manifest)))
        .isInstanceOfSatisfying(
            DatabaseServerUnavailable.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("scratch")
        .hasMessageContaining("127.0.0.1:1");
    assertThat(fixture.backups("pipeline").verificationOf(manifest)).isEmpty();
  }

  @Test
  void theConfiguredScratchServerIsUsedAndTheTargetIsNotNeeded() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    try (PostgresCluster scratchCluster = PostgresCluster.start("verify-scratch")) {
      PostgresNode scratch = scratchCluster.primary();
      // The target now points at a refused port: only the scratch server can have been used.
      BackupVerifier verifier =
          new BackupVerifier(
              unreachableTargets(),
              fixture.backups("pipeline"),
              fixture.pipeline(),
              Optional.of(
                  DatabaseServer.parse(
                      "scratch",
                      "bulwark.backup.scratch.url",
                      "postgresql://" + scratch.host() + ":" + scratch.port() + "/postgres",
                      Optional.of(scratch.user()),
                      Optional.empty())),
              fixture.clock);

      BackupVerification verification = verifier.verify("pipeline", id(manifest));

      assertThat(verification.passed()).as(verification.mismatches().toString()).isTrue();
      assertThat(scratch.queryValue(SCRATCH_DATABASES)).isEqualTo("0");
    }
  }

  @Test
  void aPgRestoreThatFailsIsAFailedVerificationWithItsExitStatusAndStderr() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    Path bin = fixture.pgRestoreRunningFirst(dir, "CREATE TABLE public.outbox (x int)");
    BackupVerifier verifier =
        verifier(Optional.empty(), fixture.pipeline(fixture.keyring(), Optional.of(bin)));

    BackupVerification verification = verifier.verify("pipeline", id(manifest));

    assertThat(verification.passed()).isFalse();
    assertThat(verification.mismatches())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .startsWith("pg_restore exited with status 1: ")
                    .contains("relation \"outbox\" already exists"));
    assertThat(verification.restoredRowCounts()).isEmpty();
  }

  @Test
  void aPgRestoreThatStopsReadingEarlyCannotPass() throws Exception {
    BackupManifest manifest = fixture.backup("pipeline");
    // The real pg_restore with --list reads the table of contents, then exits 0.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path wrapper = bin.resolve("pg_restore");
    Files.writeString(
        wrapper,
        "#!/bin/sh\nexec '" + PostgresBinaries.tool("pg_restore") + "' --list \"$@\" >/dev/null\n");
    wrapper.toFile().setExecutable(true);
    BackupVerifier verifier =
        verifier(Optional.empty(), fixture.pipeline(fixture.keyring(), Optional.of(bin)));

    BackupVerification verification = verifier.verify("pipeline", id(manifest));

    assertThat(verification.passed()).isFalse();
    assertThat(verification.mismatches())
        .singleElement()
        .asString()
        .startsWith("pg_restore exited after reading ")
        .endsWith(" of " + manifest.storedBytes() + " stored bytes; the rest was not checked");
  }

  private BackupVerifier verifier(Optional<DatabaseServer> scratch) {
    return verifier(scratch, fixture.pipeline());
  }

  private BackupVerifier verifier(Optional<DatabaseServer> scratch, RestorePipeline pipeline) {
    return new BackupVerifier(
        fixture.targets("pipeline"), fixture.backups("pipeline"), pipeline, scratch, fixture.clock);
  }

  private static BackupTargets unreachableTargets() {
    return new BackupTargets(
        Map.of(
            "pipeline",
            new BackupTarget(
                "pipeline", "127.0.0.1", 1, "pipeline", Optional.of(db.user()), Optional.empty())));
  }

  private static DatabaseServer server(int port) {
    return new DatabaseServer(
        "scratch", "127.0.0.1", port, "postgres", Optional.of("postgres"), Optional.empty());
  }

  private static String id(BackupManifest manifest) {
    return manifest.backupId();
  }
}
