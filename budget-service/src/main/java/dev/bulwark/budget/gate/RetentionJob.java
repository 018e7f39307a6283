package dev.bulwark.budget.gate;

import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Removes reservations past the retention window on one replica at a time, and refreshes the
 * retention gauge on every replica (it is read from the database, so all report the same).
 */
@ApplicationScoped
public class RetentionJob {

  private final Jobs jobs;
  private final ReservationRetention retention;

  public RetentionJob(Jobs jobs, ReservationRetention retention) {
    this.jobs = jobs;
    this.retention = retention;
  }

  @Scheduled(
      every = "${bulwark.budget.retention.every}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> removeExpired() {
    return jobs.onOneReplica("budget-retention", retention::removeExpired);
  }

  @Scheduled(
      every = "${bulwark.budget.retention.every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> measure() {
    return jobs.onEveryReplica("budget-retention-gauge", retention::measure);
  }
}
