package dev.bulwark.backup.dumps;

import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.jobs.ScheduledStarts;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
            ScheduledStarts.forEach(
                targets.names(),
                "backup",
                fireTime,
                (target, id) -> backups.start(target, JobTrigger.SCHEDULE, id)));
  }

  static UUID jobId(String target, String fireTime) {
    return ScheduledStarts.jobId("backup", target, fireTime);
  }
}
