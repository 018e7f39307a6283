package dev.bulwark.budget.gate;

import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.store.SpendStore;
import dev.bulwark.common.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides one batch of gate operations, in arrival order, against period counters that the caller
 * has locked for the whole batch. Pure logic: it reads and changes only what it is given, and
 * leaves the writes in its fields for the store.
 */
final class Gate {

  /** The answer to one operation: a value, or the problem to report. */
  record Outcome(Object value, boolean replayed, RuntimeException problem) {
    static Outcome of(Object value) {
      return new Outcome(value, false, null);
    }

    static Outcome replay(Object value) {
      return new Outcome(value, true, null);
    }

    static Outcome failed(RuntimeException problem) {
      return new Outcome(null, false, problem);
    }
  }

  private final List<Budget> budgets;
  private final Map<UUID, Budget> budgetsById = new HashMap<>();
  private final Map<PeriodKey, Counter> counters;
  private final Instant now;
  private final Function<Decision, String> toJson;
  private final Map<String, Reservation> byKey;
  private final Map<UUID, Reservation> byId;

  final List<Reservation> inserted = new ArrayList<>();
  final Map<UUID, Reservation> settled = new LinkedHashMap<>();
  final List<SpendStore.Entry> spends = new ArrayList<>();

  Gate(
      List<Budget> budgets,
      Map<PeriodKey, Counter> counters,
      Map<String, Reservation> existingByKey,
      Map<UUID, Reservation> lockedById,
      Instant now,
      Function<Decision, String> toJson) {
    this.budgets = budgets.stream().sorted(Comparator.comparing(Budget::name)).toList();
    this.budgets.forEach(b -> budgetsById.put(b.id(), b));
    this.counters = counters;
    this.now = now;
    this.toJson = toJson;
    this.byKey = new HashMap<>(existingByKey);
    this.byId = new HashMap<>(lockedById);
  }

  /** The period rows a batch must lock: current periods of matching budgets, and held periods. */
  static SortedSet<PeriodKey> periodsToLock(
      List<Budget> budgets,
      List<ReserveCommand> reserves,
      List<Reservation> toSettle,
      Instant now) {
    SortedSet<PeriodKey> keys = new TreeSet<>();
    for (ReserveCommand command : reserves) {
      Map<String, String> operationKeys = command.keys();
      for (Budget budget : budgets) {
        if (budget.matches(operationKeys)) {
          keys.add(new PeriodKey(budget.id(), budget.currentPeriodStart(now)));
        }
      }
    }
    toSettle.forEach(r -> r.holds().forEach(h -> keys.add(h.period())));
    return keys;
  }

  Outcome reserve(ReserveCommand command, UUID newId) {
    String hash = command.requestHash();
    Reservation earlier = byKey.get(command.idempotencyKey());
    if (earlier != null) {
      return earlier.requestHash().equals(hash)
          ? Outcome.replay(earlier.decisionJson())
          : Outcome.failed(new GateProblems.IdempotencyKeyReused(command.idempotencyKey()));
    }
    List<Budget> matching = budgets.stream().filter(b -> b.matches(command.keys())).toList();
    BigDecimal estimate = command.estimateUsd();
    Budget denying = null;
    for (Budget budget : matching) {
      if (budget.mode() == Mode.ENFORCE) {
        Counter counter = counter(budget);
        if (counter.committedAndHeld().add(estimate).compareTo(budget.limitUsd()) > 0) {
          denying = budget;
          break;
        }
      }
    }
    boolean granted = denying == null;
    List<Hold> holds = new ArrayList<>();
    if (granted) {
      for (Budget budget : matching) {
        Counter counter = counter(budget);
        counter.held = counter.held.add(estimate);
        counter.dirty = true;
        holds.add(new Hold(budget.id(), budget.currentPeriodStart(now), estimate));
      }
    }
    List<Decision.BudgetState> states = matching.stream().map(this::state).toList();
    Decision.BudgetState deniedBy = null;
    if (denying != null) {
      UUID denyingId = denying.id();
      deniedBy =
          states.stream().filter(s -> s.budgetId().equals(denyingId)).findFirst().orElseThrow();
    }
    Instant expiresAt = granted ? now.plus(command.ttl()) : now;
    String status = granted ? Reservation.HELD : Reservation.DENIED;
    Decision decision =
        new Decision(
            newId,
            granted,
            status,
            estimate,
            now,
            expiresAt,
            deniedBy,
            states.stream().anyMatch(Decision.BudgetState::softLimitCrossed),
            states);
    Reservation reservation =
        new Reservation(
            newId,
            command.idempotencyKey(),
            hash,
            command.category(),
            command.team(),
            command.operation(),
            command.labels(),
            estimate,
            null,
            status,
            toJson.apply(decision),
            now,
            expiresAt,
            null,
            holds);
    inserted.add(reservation);
    byKey.put(command.idempotencyKey(), reservation);
    byId.put(newId, reservation);
    return Outcome.of(decision);
  }

  Outcome settle(SettleCommand command) {
    Reservation reservation = byId.get(command.reservationId());
    if (reservation == null) {
      return Outcome.failed(new GateProblems.ReservationNotFound(command.reservationId()));
    }
    boolean pastExpiry = !now.isBefore(reservation.expiresAt());
    String status = reservation.status();
    if (status.equals(Reservation.HELD) && pastExpiry) {
      // Expire first, whoever asks: a hold never outlives its TTL.
      reservation = releaseHolds(reservation, Reservation.EXPIRED, null);
      status = Reservation.EXPIRED;
    }
    return switch (command.kind()) {
      case COMMIT -> commit(reservation, command.actualUsd());
      case RELEASE -> release(reservation);
      case EXPIRE -> Outcome.of(reservation);
    };
  }

  private Outcome commit(Reservation reservation, BigDecimal actual) {
    switch (reservation.status()) {
      case Reservation.HELD -> {
        BigDecimal overrun = actual.subtract(reservation.estimateUsd()).max(BigDecimal.ZERO);
        for (Hold hold : reservation.holds()) {
          Counter counter = counters.get(hold.period());
          counter.held = counter.held.subtract(hold.amountUsd());
          counter.spent = counter.spent.add(actual);
          if (overrun.signum() > 0) {
            counter.overrun = counter.overrun.add(overrun);
            counter.overruns++;
          }
          counter.dirty = true;
        }
        Reservation committed = reservation.settled(Reservation.COMMITTED, actual, now);
        remember(committed);
        spends.add(
            new SpendStore.Entry(
                committed,
                actual,
                Money.exact(overrun),
                reservation.holds().stream().map(Hold::budgetId).toList()));
        return Outcome.of(committed);
      }
      case Reservation.COMMITTED -> {
        return reservation.actualUsd().compareTo(actual) == 0
            ? Outcome.replay(reservation)
            : Outcome.failed(
                new GateProblems.AlreadyCommitted(reservation.id(), reservation.actualUsd()));
      }
      case Reservation.EXPIRED -> {
        return Outcome.failed(
            new GateProblems.ReservationExpired(reservation.id(), reservation.expiresAt()));
      }
      default -> {
        return Outcome.failed(
            new GateProblems.ReservationSettled(
                reservation.id(), reservation.status(), "committed"));
      }
    }
  }

  private Outcome release(Reservation reservation) {
    return switch (reservation.status()) {
      case Reservation.HELD -> Outcome.of(releaseHolds(reservation, Reservation.RELEASED, null));
      case Reservation.RELEASED, Reservation.EXPIRED -> Outcome.replay(reservation);
      default ->
          Outcome.failed(
              new GateProblems.ReservationSettled(
                  reservation.id(), reservation.status(), "released"));
    };
  }

  private Reservation releaseHolds(Reservation reservation, String newStatus, BigDecimal actual) {
    for (Hold hold : reservation.holds()) {
      Counter counter = counters.get(hold.period());
      counter.held = counter.held.subtract(hold.amountUsd());
      counter.dirty = true;
    }
    Reservation released = reservation.settled(newStatus, actual, now);
    remember(released);
    return released;
  }

  private void remember(Reservation reservation) {
    byId.put(reservation.id(), reservation);
    byKey.put(reservation.idempotencyKey(), reservation);
    if (inserted.stream().noneMatch(r -> r.id().equals(reservation.id()))) {
      settled.put(reservation.id(), reservation);
    }
  }

  Map<PeriodKey, Counter> dirtyCounters() {
    Map<PeriodKey, Counter> dirty = new LinkedHashMap<>();
    counters.forEach(
        (key, counter) -> {
          if (counter.dirty) {
            dirty.put(key, counter);
          }
        });
    return dirty;
  }

  private Counter counter(Budget budget) {
    PeriodKey key = new PeriodKey(budget.id(), budget.currentPeriodStart(now));
    Counter counter = counters.get(key);
    if (counter == null) {
      throw new IllegalStateException("period " + key + " was not locked for this batch");
    }
    return counter;
  }

  private Decision.BudgetState state(Budget budget) {
    Counter counter = counter(budget);
    BigDecimal used = counter.committedAndHeld();
    return new Decision.BudgetState(
        budget.id(),
        budget.name(),
        budget.mode().wire(),
        budget.limitUsd(),
        counter.spent,
        counter.held,
        Money.exact(budget.limitUsd().subtract(used)),
        used.compareTo(budget.softLimitUsd()) >= 0);
  }
}
