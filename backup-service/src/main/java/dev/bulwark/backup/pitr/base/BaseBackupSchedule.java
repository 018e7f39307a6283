package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.jobs.ScheduledStarts;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts a base backup of every PITR target on {@code bulwark.backup.pitr.base-schedule}, a Quartz
 * cron expression in UTC (daily 01:00 by default).
 */
@ApplicationScoped
public class BaseBackupSchedule {

  private final PitrTargets targets;
  private final BaseBackupJobs backups;
  private final Jobs jobs;

  public BaseBackupSchedule(PitrTargets targets, BaseBackupJobs backups, Jobs jobs) {
    this.targets = targets;
    this.backups = backups;
    this.jobs = jobs;
  }

  @Scheduled(
      cron = "${bulwark.backup.pitr.base-schedule:0 0 1 * * ?}",
      timeZone = "UTC",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> backUpAll(ScheduledExecution execution) {
    String fireTime = execution.getScheduledFireTime().toString();
    return jobs.onOneReplica(
        "pitr-base-backups",
        () ->
            ScheduledStarts.forEach(
                targets.names(),
                "base-backup",
                fireTime,
                (target, id) -> backups.start(target, JobTrigger.SCHEDULE, id)));
  }
}
