package dev.bulwark.backup.pitr.restore;

import static dev.bulwark.backup.pitr.restore.ArchivingCluster.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.pitr.wal.WalReceiver;
import dev.bulwark.testing.PostgresNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Synchronous mode on real PostgreSQL: with the receiver named in {@code
 * synchronous_standby_names}, a commit returns only once the receiver has flushed it, so a primary
 * killed with SIGKILL right after acknowledged commits loses none of them from the archive.
 */
class SynchronousArchivingTests {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @Test
  void everyAcknowledgedCommitIsRestoredAfterTheSynchronousPrimaryIsKilled() throws Exception {
    try (ArchivingCluster archived = ArchivingCluster.start("pitr-sync")) {
      PostgresNode primary = archived.cluster.primary();
      WalReceiver receiver = archived.archiveFrom(List.of(primary), true);
      primary.execute("ALTER SYSTEM SET synchronous_standby_names = 'bulwark_" + TARGET + "'");
      primary.queryValue("SELECT pg_reload_conf()::text");
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  "sync"
                      .equals(
                          primary.queryValue(
                              "SELECT sync_state FROM pg_stat_replication"
                                  + " WHERE application_name = 'bulwark_"
                                  + TARGET
                                  + "'")));
      archived.baseBackup(primary);
      primary.execute("CREATE TABLE acked (id int PRIMARY KEY)");

      // Given: a commit does not return while the receiver is held (SIGSTOP) ...
      long receiverPid = receiver.receiverPid().orElseThrow();
      signal("STOP", receiverPid);
      CompletableFuture<Void> held =
          CompletableFuture.runAsync(() -> primary.execute("INSERT INTO acked VALUES (0)"));
      try {
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(() -> !held.isDone());
      } finally {
        signal("CONT", receiverPid);
      }
      // ... and returns once it has the commit.
      await().atMost(PATIENCE).until(held::isDone);
      held.join();

      // When: the primary is killed while a writer commits one row at a time (autocommit).
      List<Integer> acknowledged = new CopyOnWriteArrayList<>(List.of(0));
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(() -> writeUntilItFails(primary, acknowledged));
      await().atMost(PATIENCE).until(() -> acknowledged.size() >= 300);
      primary.crash();
      writer.join();
      int acknowledgedRows = acknowledged.size();
      assertThat(acknowledgedRows).isGreaterThanOrEqualTo(300);

      // The receiver stores the partial segment it flushed; wait until storage holds its last
      // state.
      Path spool = receiver.settings().spoolDir();
      await().atMost(PATIENCE).until(() -> partialStored(archived, spool));

      // Then: a restore to latest has every acknowledged row (and at most the one in flight).
      PitrRestoreReport report =
          archived
              .restorer(primary)
              .restore(TARGET, new RecoveryTarget.Latest(), Optional.empty(), true, p -> {});
      List<String> restored =
          RestoredDirectory.query(
              Path.of(report.dataDirectory()), "SELECT id::text FROM acked ORDER BY id");
      Set<String> missing = new HashSet<>();
      acknowledged.forEach(id -> missing.add(id.toString()));
      restored.forEach(missing::remove);
      assertThat(missing).as("acknowledged rows missing from the restore").isEmpty();
      assertThat(restored.size()).isBetween(acknowledgedRows, acknowledgedRows + 1);
    }
  }

  private static void writeUntilItFails(PostgresNode primary, List<Integer> acknowledged) {
    try (Connection connection = primary.connect("postgres");
        Statement statement = connection.createStatement()) {
      for (int id = 1; ; id++) {
        statement.execute("INSERT INTO acked VALUES (" + id + ")");
        acknowledged.add(id);
      }
    } catch (SQLException e) {
      // The primary was killed: the commit in flight was not acknowledged.
    }
  }

  // The newest partial in the spool, stored byte for byte: the receiver uploaded what it flushed.
  private static boolean partialStored(ArchivingCluster archived, Path spool) throws IOException {
    Optional<Path> partial;
    try (Stream<Path> files = Files.list(spool)) {
      partial = files.filter(p -> p.toString().endsWith(".partial")).sorted().reduce((a, b) -> b);
    }
    if (partial.isEmpty()) {
      return false;
    }
    String name = partial.get().getFileName().toString();
    if (!archived.archive.list(TARGET).contains(name)) {
      return false;
    }
    Path fetched = archived.root.resolve("fetched-" + System.nanoTime());
    try {
      archived.archive.fetch(TARGET, name, fetched);
      return Files.mismatch(fetched, partial.get()) == -1;
    } finally {
      Files.deleteIfExists(fetched);
    }
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }
}
