package dev.bulwark.backup.mirror;

import dev.bulwark.backup.exported.MirrorMetrics;
import dev.bulwark.backup.store.MirrorStore;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each configured mirror once its interval has passed since its last run started (on one
 * replica, under the job lock {@code mirror-<name>}), and refreshes the mirror gauges on every
 * replica.
 */
@ApplicationScoped
public class MirrorSchedule {

  private final Mirrors mirrors;
  private final BucketMirror engine;
  private final MirrorStore store;
  private final MirrorMetrics metrics;
  private final Jobs jobs;
  private final Clock clock;

  public MirrorSchedule(
      Mirrors mirrors,
      BucketMirror engine,
      MirrorStore store,
      MirrorMetrics metrics,
      Jobs jobs,
      Clock clock) {
    this.mirrors = mirrors;
    this.engine = engine;
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
        "mirror-gauges", () -> metrics.freshness().track(store.runs().invoke(metrics::publish)));
  }

  // Checked under the job (its lock, its outage logging): another replica may have just run it,
  // and a database outage must be logged once, not per tick.
  private Uni<Void> runIfDue(String name) {
    return jobs.onOneReplica(
        "mirror-" + name,
        () -> isDue(name).chain(due -> due ? onWorker(name) : Uni.createFrom().voidItem()));
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

  // The job's timeout cancels the Uni: the interrupt makes the run stop after its current object,
  // so that it never outlives the lock that keeps other replicas from running it too.
  private Uni<Void> onWorker(String name) {
    return Uni.createFrom()
        .<Void>emitter(
            emitter -> {
              AtomicBoolean finished = new AtomicBoolean();
              Future<?> run =
                  Infrastructure.getDefaultWorkerPool()
                      .submit(
                          () -> {
                            try {
                              engine.run(name, MirrorProgress.NONE);
                              finished.set(true);
                              emitter.complete(null);
                            } catch (RuntimeException e) {
                              finished.set(true);
                              emitter.fail(e);
                            }
                          });
              emitter.onTermination(
                  () -> {
                    if (!finished.get()) {
                      run.cancel(true);
                    }
                  });
            });
  }
}
