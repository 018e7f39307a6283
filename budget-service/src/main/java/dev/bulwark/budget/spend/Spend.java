package dev.bulwark.budget.spend;

import dev.bulwark.budget.store.SpendStore;
import dev.bulwark.common.money.Money;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Spend use cases: sums of the ledger over a time range (metrics-service reads them). */
@ApplicationScoped
public class Spend {

  static final Duration DEFAULT_RANGE = Duration.ofDays(30);
  static final Duration MAX_RANGE = Duration.ofDays(400);

  private final SpendStore store;
  private final Clock clock;

  public Spend(SpendStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Sums spend in {@code [from, to)}: {@code to} defaults to now, {@code from} to 30 days before
   * {@code to}; the range must be non-empty and at most 400 days.
   */
  public Uni<SpendReport> report(
      Optional<Instant> from,
      Optional<Instant> to,
      List<Dimension> groupBy,
      Optional<String> category,
      Optional<String> team,
      Optional<UUID> budgetId) {
    Instant end = to.orElseGet(clock::instant);
    Instant start = from.orElseGet(() -> end.minus(DEFAULT_RANGE));
    if (!start.isBefore(end)) {
      throw new InvalidSpendRange("must be before 'to'");
    }
    if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
      throw new InvalidSpendRange("the range may span at most " + MAX_RANGE.toDays() + " days");
    }
    SpendQuery query = new SpendQuery(start, end, groupBy, category, team, budgetId);
    return store
        .sum(query)
        .map(
            groups ->
                new SpendReport(
                    query,
                    groups.stream().map(SpendGroup::amountUsd).reduce(Money.ZERO, BigDecimal::add),
                    groups));
  }
}
