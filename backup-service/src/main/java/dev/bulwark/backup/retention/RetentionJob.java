package dev.bulwark.backup.retention;

import dev.bulwark.backup.config.BackupConfig;
import dev.bulwark.backup.exported.RetentionCounters;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Applies retention to every configured target, on one replica at a time. */
@ApplicationScoped
public class RetentionJob {

  /** The job's name, which is also its advisory lock's: renaming it lets two replicas delete. */
  public static final String JOB = "backup-retention";

  private final BackupRetention retention;
  private final RetentionCounters counters;
  private final BackupConfig config;
  private final ObjectStorage storage;
  private final Clock clock;
  private final Jobs jobs;

  public RetentionJob(
      BackupRetention retention,
      RetentionCounters counters,
      BackupConfig config,
      ObjectStorage storage,
      Clock clock,
      Jobs jobs) {
    this.retention = retention;
    this.counters = counters;
    this.config = config;
    this.storage = storage;
    this.clock = clock;
    this.jobs = jobs;
  }

  // Delayed so that a starting replica serves before it deletes anything.
  @Scheduled(
      identity = JOB,
      every = "${bulwark.backup.retention.interval}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> run() {
    return jobs.onOneReplica(
        JOB,
        () ->
            Uni.createFrom()
                .item(this::applyToAllTargets)
                // Storage calls block: off the event loop.
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
  }

  /** One pass over every target; a failing target does not stop the others, but fails the run. */
  List<RetentionOutcome> applyToAllTargets() {
    Set<String> targets = new TreeSet<>(config.targets().keySet());
    List<RetentionOutcome> outcomes = new ArrayList<>();
    RuntimeException failure = null;
    for (String target : targets) {
      try {
        RetentionOutcome outcome = retention.apply(target);
        counters.deletedBackups(target, outcome.deleted().size());
        counters.deletedLeftovers(target, outcome.leftovers().size());
        outcomes.add(outcome);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    try {
      counters.droppedUnfinishedWrites(storage.dropUnfinishedWrites("", unfinishedCutOff()));
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return outcomes;
  }

  /**
   * Writes started before this are a dead writer's: no pg_dump runs longer than its time limit, and
   * an hour more covers the write of its last part and a mirror's copy of one object.
   */
  Instant unfinishedCutOff() {
    return clock.instant().minus(config.dumpTimeout()).minus(Duration.ofHours(1));
  }
}
