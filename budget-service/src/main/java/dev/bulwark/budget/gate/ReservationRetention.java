package dev.bulwark.budget.gate;

import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.exported.RetentionMetrics;
import dev.bulwark.budget.store.RetentionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps reservations for the retention window and removes them afterwards: settled (committed,
 * released, expired) and denied ones whose last activity is older than the window. Held ones are
 * never removed, and the ledger and period counters stay whole. Stateless: every batch recomputes
 * what is due, so a run stopped anywhere (a crash, a lost lock) is simply continued by the next.
 */
@ApplicationScoped
public class ReservationRetention {

  /** Batches per run, so that a backlog is worked off over several runs well within a timeout. */
  static final int MAX_BATCHES_PER_RUN = 200;

  private final RetentionStore store;
  private final RetentionMetrics metrics;
  private final Clock clock;
  private final Duration window;
  private final int batchSize;

  public ReservationRetention(
      RetentionStore store, RetentionMetrics metrics, BudgetConfig config, Clock clock) {
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.window = config.retention().window();
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "bulwark.budget.retention.window must be positive, was " + window);
    }
    this.batchSize = config.retention().batchSize();
  }

  /** Removes what is past the window at the clock's instant; returns how many reservations. */
  public Uni<Integer> removeExpired() {
    return removeBatches(clock.instant().minus(window), 0, 0);
  }

  private Uni<Integer> removeBatches(Instant cutoff, int batches, int removed) {
    return store
        .removeBatch(cutoff, batchSize)
        .invoke(metrics::removed)
        .flatMap(
            count ->
                count < batchSize || batches + 1 >= MAX_BATCHES_PER_RUN
                    ? Uni.createFrom().item(removed + count)
                    : removeBatches(cutoff, batches + 1, removed + count));
  }

  /** Publishes the age of the oldest settled or denied reservation still stored. */
  public Uni<Void> measure() {
    return metrics.track(
        store
            .oldestSettled()
            .invoke(
                oldest ->
                    metrics.oldest(
                        oldest
                            .map(at -> Duration.between(at, clock.instant()))
                            .filter(age -> !age.isNegative())
                            .orElse(Duration.ZERO),
                        window))
            .replaceWithVoid());
  }
}
