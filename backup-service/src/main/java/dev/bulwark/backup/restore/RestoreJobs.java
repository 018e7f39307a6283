package dev.bulwark.backup.restore;

import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobOutcome;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.jobs.RetryPolicy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs restores as jobs: checked before the job starts (a non-empty database without force is a 409
 * to the request), one per database at a time, never tried again (a half-applied restore is not
 * safe to repeat).
 */
@ApplicationScoped
public class RestoreJobs {

  private final BackupRestorer restorer;
  private final JobRunner runner;

  public RestoreJobs(BackupRestorer restorer, JobRunner runner) {
    this.restorer = restorer;
    this.runner = runner;
  }

  /**
   * Starts the restore; the answer is the running job.
   *
   * @throws DatabaseNotEmpty and the other checks of {@link BackupRestorer#check}
   * @throws dev.bulwark.backup.jobs.JobAlreadyRunning when a restore into that database runs
   */
  public Uni<BackupJob> start(RestoreRequest request) {
    return Uni.createFrom()
        .item(
            () -> {
              restorer.check(request);
              return new JobRunner.Request(
                  JobKind.RESTORE,
                  request.target(),
                  Optional.of(request.backupId()),
                  "restore:" + request.target() + "/" + request.database(),
                  JobTrigger.API,
                  RetryPolicy.NEVER,
                  context ->
                      outcome(
                          restorer.restore(
                              request,
                              (bytesRead, bytesTotal, tablesDone, tablesTotal) ->
                                  context.progress(
                                      Map.of(
                                          "database", request.database(),
                                          "bytesRead", bytesRead,
                                          "bytesTotal", bytesTotal,
                                          "tablesDone", tablesDone,
                                          "tablesTotal", tablesTotal)))));
            })
        // The checks connect to the target's server: not on the event loop.
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(runner::start);
  }

  private static JobOutcome outcome(RestoreReport report) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("database", report.database());
    result.put("databaseCreated", report.databaseCreated());
    result.put(
        "durationSeconds",
        Duration.between(report.startedAt(), report.finishedAt()).toMillis() / 1000.0);
    result.put("storedBytes", report.storedBytes());
    result.put("tablesRestored", report.tablesRestored());
    result.put("restoredRowCounts", report.restoredRowCounts());
    result.put("mismatches", report.mismatches());
    return new JobOutcome(Optional.of(report.backupId()), result);
  }
}
