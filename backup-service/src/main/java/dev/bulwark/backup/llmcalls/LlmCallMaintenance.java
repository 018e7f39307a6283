package dev.bulwark.backup.llmcalls;

import dev.bulwark.backup.config.LlmCallsConfig;
import dev.bulwark.backup.exported.ArchiveCounters;
import dev.bulwark.backup.store.LlmCallMonths;
import dev.bulwark.backup.store.LlmCallPartitionStore;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the archive's month partitions, on one replica at a time: creates the current month's and
 * {@code partitions-ahead} more, and expires every partition whose whole month is older than the
 * retention (dropping it, or keeping only the rows of leads under a legal hold).
 */
@ApplicationScoped
public class LlmCallMaintenance {

  /** The job's name, which is also its advisory lock's: renaming it lets two replicas drop. */
  public static final String JOB = "llm-call-maintenance";

  private final LlmCallPartitionStore partitions;
  private final ArchiveCounters counters;
  private final LlmCallsConfig config;
  private final Jobs jobs;
  private final Clock clock;

  public LlmCallMaintenance(
      LlmCallPartitionStore partitions,
      ArchiveCounters counters,
      LlmCallsConfig config,
      Jobs jobs,
      Clock clock) {
    this.partitions = partitions;
    this.counters = counters;
    this.config = config;
    this.jobs = jobs;
    this.clock = clock;
  }

  @Scheduled(
      identity = JOB,
      every = "${bulwark.backup.llm-calls.maintenance-every}",
      delayed = "${bulwark.backup.llm-calls.maintenance-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> run() {
    return jobs.onOneReplica(JOB, this::maintain);
  }

  /** One pass: partitions ahead, then expiry oldest first; each expired partition is counted. */
  Uni<List<Expiry>> maintain() {
    Instant now = clock.instant();
    List<Instant> ahead = new ArrayList<>();
    Instant month = LlmCallMonths.of(now);
    for (int i = 0; i <= config.partitionsAhead(); i++) {
      ahead.add(month);
      month = LlmCallMonths.next(month);
    }
    Instant cutoff = now.minus(config.retention());
    return partitions
        .ensure(ahead)
        .flatMap(ignored -> partitions.partitions())
        .flatMap(
            all ->
                Multi.createFrom()
                    .iterable(
                        all.stream()
                            .filter(p -> !LlmCallMonths.next(p.month()).isAfter(cutoff))
                            .toList())
                    .onItem()
                    .transformToUniAndConcatenate(
                        p ->
                            partitions
                                .expire(p)
                                .invoke(expiry -> counters.llmCallsExpired(expiry.deleted())))
                    .collect()
                    .asList());
  }
}
