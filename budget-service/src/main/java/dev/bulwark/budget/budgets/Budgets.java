package dev.bulwark.budget.budgets;

import dev.bulwark.budget.store.BudgetStore;
import dev.bulwark.budget.store.PeriodCounters;
import dev.bulwark.common.problem.InvalidRequestProblem;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Budget use cases: define, change, archive, and read with current-period figures. */
@ApplicationScoped
public class Budgets {

  private final BudgetStore store;

  public Budgets(BudgetStore store) {
    this.store = store;
  }

  /** A budget with the counters of the period that contains {@code asOf}. */
  public record WithPeriod(Budget budget, PeriodCounters current) {}

  public Uni<WithPeriod> create(Budget budget) {
    return store
        .insert(budget)
        .onFailure(Budgets::isNameClash)
        .transform(f -> new BudgetNameTaken(budget.name()))
        .chain(this::withCurrentPeriod);
  }

  public Uni<WithPeriod> update(Budget budget) {
    return store
        .update(budget)
        .onFailure(Budgets::isNameClash)
        .transform(f -> new BudgetNameTaken(budget.name()))
        .map(found -> found.orElseThrow(() -> new BudgetNotFound(budget.id())))
        .chain(this::withCurrentPeriod);
  }

  public Uni<WithPeriod> archive(UUID id) {
    return store
        .archive(id)
        .map(found -> found.orElseThrow(() -> new BudgetNotFound(id)))
        .chain(this::withCurrentPeriod);
  }

  public Uni<WithPeriod> get(UUID id) {
    return store
        .find(id)
        .map(found -> found.orElseThrow(() -> new BudgetNotFound(id)))
        .chain(this::withCurrentPeriod);
  }

  public Uni<List<WithPeriod>> list(boolean includeArchived) {
    Instant now = Instant.now();
    return store
        .list(includeArchived)
        .chain(
            budgets ->
                store
                    .currentCounters(budgets, now)
                    .map(
                        counters ->
                            budgets.stream()
                                .map(
                                    b ->
                                        new WithPeriod(
                                            b,
                                            counters.stream()
                                                .filter(c -> c.budgetId().equals(b.id()))
                                                .findFirst()
                                                .orElse(
                                                    PeriodCounters.empty(
                                                        b.id(), b.currentPeriodStart(now)))))
                                .toList()));
  }

  public Uni<List<PeriodCounters>> history(UUID id, int limit) {
    return get(id).chain(found -> store.history(id, limit));
  }

  private Uni<WithPeriod> withCurrentPeriod(Budget budget) {
    Instant start = budget.currentPeriodStart(Instant.now());
    return store.counters(budget.id(), start).map(c -> new WithPeriod(budget, c));
  }

  private static boolean isNameClash(Throwable f) {
    return f instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  /** Parses an IANA zone name, or says what is wrong with it. */
  public static java.time.ZoneId zone(String name) {
    try {
      return java.time.ZoneId.of(name);
    } catch (java.time.DateTimeException e) {
      throw new InvalidRequestProblem(
          "timeZone", "'" + name + "' is not an IANA time zone such as UTC or Europe/Berlin");
    }
  }
}
