package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.jobs.ScheduledStarts;
import dev.bulwark.backup.pitr.base.PitrTargets;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Verifies every PITR target on {@code bulwark.backup.pitr.verify-schedule}, a Quartz cron in UTC
 * (daily 04:00 by default): a restore to latest in a scratch instance that must start and answer.
 */
@ApplicationScoped
public class RestoreVerificationSchedule {

  private final PitrTargets targets;
  private final PitrRestoreJobs restores;
  private final Jobs jobs;

  public RestoreVerificationSchedule(PitrTargets targets, PitrRestoreJobs restores, Jobs jobs) {
    this.targets = targets;
    this.restores = restores;
    this.jobs = jobs;
  }

  @Scheduled(
      cron = "${bulwark.backup.pitr.verify-schedule:0 0 4 * * ?}",
      timeZone = "UTC",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> verifyAll(ScheduledExecution execution) {
    String fireTime = execution.getScheduledFireTime().toString();
    return jobs.onOneReplica(
        "pitr-restore-verifications",
        () ->
            ScheduledStarts.forEach(
                targets.names(),
                "pitr-verify",
                fireTime,
                (target, id) -> restores.verify(target, JobTrigger.SCHEDULE, id)));
  }
}
