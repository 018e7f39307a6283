package dev.bulwark.budget.gate;

import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Releases holds past their TTL, on one replica at a time. */
@ApplicationScoped
public class HoldExpiryJob {

  private final Jobs jobs;
  private final Reservations reservations;

  public HoldExpiryJob(Jobs jobs, Reservations reservations) {
    this.jobs = jobs;
    this.reservations = reservations;
  }

  @Scheduled(
      every = "${bulwark.budget.gate.expiry-every}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> expireDueHolds() {
    return jobs.onOneReplica("budget-expire-holds", reservations::expireDue);
  }
}
