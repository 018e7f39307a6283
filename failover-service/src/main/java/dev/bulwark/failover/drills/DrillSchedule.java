package dev.bulwark.failover.drills;

import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.config.FailoverConfig.Kind;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts a drill of every postgres group on {@code bulwark.failover.drills.schedule} (Quartz cron,
 * UTC; off by default), on one replica. It only starts them: each reports like a POSTed one, and a
 * refused one (paused, no qualified standby) fails the job run, which is logged and counted.
 */
@ApplicationScoped
public class DrillSchedule {

  private final FailoverConfig config;
  private final Drills drills;
  private final Jobs jobs;

  public DrillSchedule(FailoverConfig config, Drills drills, Jobs jobs) {
    this.config = config;
    this.drills = drills;
    this.jobs = jobs;
  }

  @Scheduled(
      cron = "${bulwark.failover.drills.schedule:off}",
      timeZone = "UTC",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> drillAll() {
    DrillKind kind =
        DrillKind.fromWire(config.drills().kind())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "bulwark.failover.drills.kind must be switchover or primary-loss"));
    return jobs.onOneReplica("failover-drills", () -> startAll(kind));
  }

  Uni<Void> startAll(DrillKind kind) {
    return Multi.createFrom()
        .iterable(config.groups().keySet())
        .filter(group -> config.groups().get(group).kind() == Kind.POSTGRES)
        .onItem()
        .transformToUniAndConcatenate(
            group -> Uni.createFrom().deferred(() -> drills.start(group, kind)))
        .collect()
        .last()
        .replaceWithVoid();
  }
}
