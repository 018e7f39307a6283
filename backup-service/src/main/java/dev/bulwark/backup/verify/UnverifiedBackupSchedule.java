package dev.bulwark.backup.verify;

import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every {@code bulwark.backup.unverified-check-every}, on one replica, starts the verification of
 * each target's newest backup that nothing started (see {@link
 * VerificationJobs#startNewestUnverified}): the safety net behind the start when a backup ends and
 * when the target's running verification ends, for replicas that stopped in between. The first
 * check is one interval after start-up.
 */
@ApplicationScoped
public class UnverifiedBackupSchedule {

  private final VerificationJobs verifications;
  private final Jobs jobs;

  public UnverifiedBackupSchedule(VerificationJobs verifications, Jobs jobs) {
    this.verifications = verifications;
    this.jobs = jobs;
  }

  @Scheduled(
      every = "${bulwark.backup.unverified-check-every}",
      delayed = "${bulwark.backup.unverified-check-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> verifyUnverified(ScheduledExecution execution) {
    return check(execution.getScheduledFireTime().toString());
  }

  /** One check, as the schedule runs it at {@code fireTime}. */
  Uni<Void> check(String fireTime) {
    return jobs.onOneReplica(
        "unverified-backups", () -> verifications.startNewestUnverified(fireTime));
  }
}
