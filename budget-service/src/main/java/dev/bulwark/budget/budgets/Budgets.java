package dev.bulwark.budget.budgets;

import dev.bulwark.budget.store.BudgetListStore;
import dev.bulwark.budget.store.BudgetStore;
import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.common.problem.DatabaseFailures;
import dev.bulwark.common.problem.InvalidRequestProblem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Budget use cases: define, change, archive, and read with current-period figures. */
@ApplicationScoped
public class Budgets {

  private final BudgetStore store;
  private final BudgetListStore listStore;
  private final Clock clock;

  public Budgets(BudgetStore store, BudgetListStore listStore, Clock clock) {
    this.store = store;
    this.listStore = listStore;
    this.clock = clock;
  }

  /** A budget with the counters of its period that contains the clock's instant. */
  public record WithPeriod(Budget budget, PeriodCounters current) {}

  public Uni<WithPeriod> create(Budget budget) {
    return store
        .insert(budget, clock.instant())
        .onFailure(Budgets::isNameClash)
        .transform(f -> new BudgetNameTaken(budget.name()))
        .chain(this::withCurrentPeriod);
  }

  /**
   * Replaces a live budget's definition; {@code exported} empty keeps the budget's current flag
   * (the flag in {@code budget} is then not used).
   */
  public Uni<WithPeriod> update(Budget budget, Optional<Boolean> exported) {
    return store
        .update(budget, exported, clock.instant())
        .onFailure(Budgets::isNameClash)
        .transform(f -> new BudgetNameTaken(budget.name()))
        .map(found -> found.orElseThrow(() -> new BudgetNotFound(budget.id())))
        .chain(this::withCurrentPeriod);
  }

  public Uni<WithPeriod> archive(UUID id) {
    return store
        .archive(id, clock.instant())
        .map(found -> found.orElseThrow(() -> new BudgetNotFound(id)))
        .chain(this::withCurrentPeriod);
  }

  public Uni<WithPeriod> get(UUID id) {
    return store
        .find(id)
        .map(found -> found.orElseThrow(() -> new BudgetNotFound(id)))
        .chain(this::withCurrentPeriod);
  }

  /** One page of budgets with their current-period figures, and the cursor of the next. */
  public Uni<BudgetPage> page(BudgetQuery query) {
    Instant now = clock.instant();
    return listStore
        .page(query, now)
        .map(
            rows -> {
              KeysetPage<WithPeriod, BudgetCursor> page =
                  KeysetPage.of(rows, query.limit(), r -> query.cursorAfter(r.budget()))
                      .map(r -> withPeriod(r, now));
              return new BudgetPage(page.items(), page.next());
            });
  }

  /** The listed budget with its current counters, zero when its period has no row yet. */
  static WithPeriod withPeriod(ListedBudget listed, Instant now) {
    Budget b = listed.budget();
    return new WithPeriod(
        b,
        listed.current().orElseGet(() -> PeriodCounters.empty(b.id(), b.currentPeriodStart(now))));
  }

  /** The budget's periods, newest first; fails with {@link BudgetNotFound} for an unknown id. */
  public Uni<BudgetHistory> history(UUID id, int limit) {
    return get(id)
        .chain(
            found ->
                store
                    .history(id, limit)
                    .map(periods -> new BudgetHistory(found.budget(), periods)));
  }

  /** A budget and its periods, newest first. */
  public record BudgetHistory(Budget budget, List<PeriodCounters> periods) {}

  private Uni<WithPeriod> withCurrentPeriod(Budget budget) {
    Instant start = budget.currentPeriodStart(clock.instant());
    return store
        .counters(budget.id(), start)
        .map(
            found ->
                new WithPeriod(
                    budget, found.orElseGet(() -> PeriodCounters.empty(budget.id(), start))));
  }

  private static boolean isNameClash(Throwable f) {
    return DatabaseFailures.hasSqlState(f, BudgetStore.NAME_TAKEN);
  }

  /** Parses an IANA zone name, or says what is wrong with it. */
  public static ZoneId zone(String name) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new InvalidRequestProblem(
          "timeZone", "'" + name + "' is not an IANA time zone such as UTC or Europe/Berlin");
    }
  }
}
