package dev.bulwark.backup.restore;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.RowCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * Restores a backup into a named database on its target's server, never over a non-empty database
 * unless forced. Blocking: run it on a worker.
 */
@ApplicationScoped
public class BackupRestorer {

  // Plain identifiers only: they need no quoting anywhere (SQL, JDBC URLs, pg_restore's --dbname).
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Set<String> TEMPLATES = Set.of("template0", "template1");

  private final BackupTargets targets;
  private final Backups backups;
  private final RestorePipeline pipeline;
  private final Clock clock;

  public BackupRestorer(
      BackupTargets targets, Backups backups, RestorePipeline pipeline, Clock clock) {
    this.targets = targets;
    this.backups = backups;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /**
   * Restores {@code request.backupId()} into {@code request.database()}, created when missing; a
   * database the restore created is dropped again when it fails.
   *
   * @throws InvalidDatabaseName when the database name is not a plain identifier or a template
   * @throws dev.bulwark.backup.dumps.TargetNotFound when no target has that name
   * @throws BackupNotFound when the target has no such backup
   * @throws KeyNotAvailable when no configured identity decrypts the backup (before any work)
   * @throws DatabaseNotEmpty when the database holds relations and force is off (before any byte is
   *     read from storage)
   * @throws BackupCorrupted when the stored object fails its checksum or does not decrypt
   * @throws RestoreFailed when pg_restore exits with an error
   * @throws DatabaseServerUnavailable when the target's server cannot be reached
   */
  public RestoreReport restore(RestoreRequest request, RestoreProgress progress)
      throws IOException {
    checkName(request.database());
    BackupTarget target = targets.named(request.target());
    BackupManifest manifest =
        backups
            .find(request.target(), request.backupId())
            .orElseThrow(() -> new BackupNotFound(request.target(), request.backupId()));
    pipeline.requireKey(manifest);
    DatabaseServer server = DatabaseServer.of(target);
    String database = request.database();
    Instant startedAt = clock.instant();
    Destination destination = prepare(server, database, request.force());
    RestoreOutcome outcome;
    try {
      outcome =
          pipeline.run(manifest, server, destination.major(), database, request.force(), progress);
      if (!outcome.backupMismatches().isEmpty()) {
        throw new BackupCorrupted(
            manifest.target(), manifest.backupId(), outcome.backupMismatches());
      }
      if (outcome.pgRestoreFailure().isPresent()) {
        throw new RestoreFailed(
            manifest.backupId(), database, outcome.pgRestoreFailure().orElseThrow());
      }
    } catch (IOException | RuntimeException e) {
      if (destination.created()) {
        dropAfterFailure(server, database, e);
      }
      throw e;
    }
    SortedMap<String, Long> restored = rowCounts(server, database);
    return new RestoreReport(
        manifest.target(),
        manifest.backupId(),
        database,
        destination.created(),
        startedAt,
        clock.instant(),
        outcome.storedBytesRead(),
        outcome.tablesRestored(),
        manifest.rowCounts(),
        restored,
        RowCountComparison.mismatches(manifest.rowCounts(), restored));
  }

  /**
   * Makes the checks {@link #restore} makes before any work, changing nothing: a request that
   * cannot work is answered before a job starts. Blocking (it connects to the target's server).
   *
   * @throws InvalidDatabaseName, TargetNotFound, BackupNotFound, KeyNotAvailable, DatabaseNotEmpty,
   *     DatabaseServerUnavailable as {@link #restore} does
   */
  public void check(RestoreRequest request) {
    checkName(request.database());
    BackupTarget target = targets.named(request.target());
    BackupManifest manifest =
        backups
            .find(request.target(), request.backupId())
            .orElseThrow(() -> new BackupNotFound(request.target(), request.backupId()));
    pipeline.requireKey(manifest);
    DatabaseServer server = DatabaseServer.of(target);
    try {
      try (Connection connection = server.connect()) {
        if (!Databases.exists(connection, request.database())) {
          return;
        }
      }
      try (Connection connection = server.connect(request.database())) {
        long relations = Databases.relations(connection);
        if (relations > 0 && !request.force()) {
          throw new DatabaseNotEmpty(request.database(), relations);
        }
      }
    } catch (SQLException e) {
      throw new DatabaseServerUnavailable(server, e.getMessage());
    }
  }

  private record Destination(int major, boolean created) {}

  // Before any byte is downloaded: the database exists and is empty, or is forced, or is made.
  private static Destination prepare(DatabaseServer server, String database, boolean force) {
    try {
      int major;
      try (Connection connection = server.connect()) {
        major = Databases.serverMajor(connection);
        if (!Databases.exists(connection, database)) {
          Databases.create(connection, database);
          return new Destination(major, true);
        }
      }
      try (Connection connection = server.connect(database)) {
        long relations = Databases.relations(connection);
        if (relations > 0 && !force) {
          throw new DatabaseNotEmpty(database, relations);
        }
      }
      return new Destination(major, false);
    } catch (SQLException e) {
      throw new DatabaseServerUnavailable(server, e.getMessage());
    }
  }

  private static SortedMap<String, Long> rowCounts(DatabaseServer server, String database) {
    try (Connection connection = server.connect(database)) {
      return RowCounts.of(connection);
    } catch (SQLException e) {
      throw new DatabaseServerUnavailable(server, e.getMessage());
    }
  }

  // The restore's own failure is what the caller needs; a failing drop only rides along with it.
  private static void dropAfterFailure(DatabaseServer server, String database, Exception failure) {
    try (Connection connection = server.connect()) {
      Databases.drop(connection, database);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static void checkName(String database) {
    if (database == null || !NAME.matcher(database).matches()) {
      throw new InvalidDatabaseName(
          "'"
              + database
              + "' is not a database name this service restores into: use 1 to 63 letters,"
              + " digits and underscores, not starting with a digit");
    }
    if (TEMPLATES.contains(database)) {
      throw new InvalidDatabaseName(
          "'" + database + "' is a template database: restore into a database of its own");
    }
  }
}
