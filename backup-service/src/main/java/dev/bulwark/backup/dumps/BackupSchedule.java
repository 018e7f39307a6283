package dev.bulwark.backup.dumps;

import dev.bulwark.backup.jobs.JobAlreadyRunning;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Backs up every target on {@code bulwark.backup.schedule}, a Quartz cron expression in UTC (daily
 * 02:00 by default).
 */
@ApplicationScoped
public class BackupSchedule {

  private final BackupTargets targets;
  private final BackupJobs backups;
  private final Jobs jobs;

  public BackupSchedule(BackupTargets targets, BackupJobs backups, Jobs jobs) {
    this.targets = targets;
    this.backups = backups;
    this.jobs = jobs;
  }

  @Scheduled(
      cron = "${bulwark.backup.schedule:0 0 2 * * ?}",
      timeZone = "UTC",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> backUpAll(ScheduledExecution execution) {
    String fireTime = execution.getScheduledFireTime().toString();
    return jobs.onOneReplica(
        "logical-backups",
        () ->
            Multi.createFrom()
                .iterable(targets.names())
                .onItem()
                .transformToUniAndConcatenate(
                    target ->
                        backups
                            // One id per target and fire time: replicas firing late start none.
                            .start(target, JobTrigger.SCHEDULE, jobId(target, fireTime))
                            .<Throwable>map(job -> null)
                            .onFailure(JobAlreadyRunning.class)
                            .recoverWithNull()
                            // One target's failure does not keep the others from their backup.
                            .onFailure()
                            .recoverWithItem(failure -> failure))
                .filter(failure -> failure != null)
                .collect()
                .asList()
                .invoke(
                    failures -> {
                      if (!failures.isEmpty()) {
                        throw new ScheduledBackupsFailed(failures);
                      }
                    }));
  }

  /** Some targets' backups could not be started; the others were. */
  static final class ScheduledBackupsFailed extends RuntimeException {
    ScheduledBackupsFailed(List<Throwable> failures) {
      super(
          failures.size()
              + " scheduled backup(s) could not start: "
              + failures.stream().map(Throwable::getMessage).toList(),
          failures.get(0),
          false,
          false);
    }
  }

  static UUID jobId(String target, String fireTime) {
    return UUID.nameUUIDFromBytes(
        ("backup:" + target + "@" + fireTime).getBytes(StandardCharsets.UTF_8));
  }
}
