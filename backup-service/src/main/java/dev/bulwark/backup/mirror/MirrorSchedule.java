package dev.bulwark.backup.mirror;

import dev.bulwark.backup.exported.MirrorMetrics;
import dev.bulwark.backup.jobs.JobAlreadyRunning;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.store.MirrorStore;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Starts a run of each configured mirror once its interval has passed since its last run started
 * (checked on one replica, under the job lock {@code mirror-<name>}), and refreshes the mirror
 * gauges on every replica.
 */
@ApplicationScoped
public class MirrorSchedule {

  private final Mirrors mirrors;
  private final MirrorJobs runs;
  private final MirrorStore store;
  private final MirrorMetrics metrics;
  private final Jobs jobs;
  private final Clock clock;

  public MirrorSchedule(
      Mirrors mirrors,
      MirrorJobs runs,
      MirrorStore store,
      MirrorMetrics metrics,
      Jobs jobs,
      Clock clock) {
    this.mirrors = mirrors;
    this.runs = runs;
    this.store = store;
    this.metrics = metrics;
    this.jobs = jobs;
    this.clock = clock;
  }

  @Scheduled(
      every = "${bulwark.backup.mirror-check-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> runDueMirrors() {
    return Multi.createFrom()
        .iterable(mirrors.names())
        .onItem()
        .transformToUniAndConcatenate(this::runIfDue)
        .collect()
        .last()
        .replaceWithVoid();
  }

  @Scheduled(
      every = "${bulwark.backup.mirror-check-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refreshGauges() {
    return jobs.onEveryReplica(
        "mirror-gauges", () -> metrics.freshness().track(store.runs().invoke(this::publish)));
  }

  private void publish(List<MirrorRun> runs) {
    runs.forEach(
        run ->
            metrics.lastRun(
                run.mirror(),
                run.finishedAt(),
                run.lastSuccessAt(),
                run.failedObjects(),
                run.pendingObjects()));
    metrics.publish();
  }

  // Checked under the job lock (its outage logging): a database outage is logged once, not per
  // tick. The run itself is a job: one per mirror across replicas, however long it takes.
  private Uni<Void> runIfDue(String name) {
    return jobs.onOneReplica(
        "mirror-" + name,
        () ->
            isDue(name)
                .chain(
                    due ->
                        due
                            ? runs.start(name, JobTrigger.SCHEDULE)
                                .replaceWithVoid()
                                .onFailure(JobAlreadyRunning.class)
                                .recoverWithNull()
                            : Uni.createFrom().voidItem()));
  }

  private Uni<Boolean> isDue(String name) {
    Mirror mirror = mirrors.named(name);
    return store
        .run(name)
        .map(
            last ->
                last.map(run -> !run.startedAt().plus(mirror.interval()).isAfter(clock.instant()))
                    .orElse(true));
  }
}
