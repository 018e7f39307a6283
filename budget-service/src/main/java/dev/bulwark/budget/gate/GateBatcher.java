package dev.bulwark.budget.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.store.BudgetStore;
import dev.bulwark.budget.store.PeriodCounters;
import dev.bulwark.budget.store.PeriodStore;
import dev.bulwark.budget.store.ReservationStore;
import dev.bulwark.budget.store.SpendStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Group commit for the gate: operations that arrive while a transaction is in flight wait in a
 * queue and are then decided together, in arrival order, in one transaction that locks each
 * affected budget period once. Every decision sees the counters left by the ones before it, so
 * batching never weakens the guarantee; it only saves round trips and commits on hot budgets.
 */
@ApplicationScoped
public class GateBatcher {

  private static final Logger LOG = Logger.getLogger(GateBatcher.class);
  private static final int ATTEMPTS = 3;

  private record Pending(Object command, UUID newId, CompletableFuture<Gate.Outcome> result) {}

  private final Pool pool;
  private final BudgetStore budgets;
  private final PeriodStore periods;
  private final ReservationStore reservations;
  private final SpendStore spend;
  private final ObjectMapper json;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean inFlight = new AtomicBoolean();

  public GateBatcher(
      Pool pool,
      BudgetStore budgets,
      PeriodStore periods,
      ReservationStore reservations,
      SpendStore spend,
      ObjectMapper json,
      BudgetConfig config) {
    this.pool = pool;
    this.budgets = budgets;
    this.periods = periods;
    this.reservations = reservations;
    this.spend = spend;
    this.json = json;
    this.maxBatch = config.gate().maxBatch();
  }

  /** Queues a {@link ReserveCommand} or {@link SettleCommand}; completes when its batch commits. */
  public Uni<Gate.Outcome> submit(Object command) {
    Pending pending = new Pending(command, UUID.randomUUID(), new CompletableFuture<>());
    queue.add(pending);
    drain();
    return Uni.createFrom().completionStage(pending.result());
  }

  private void drain() {
    if (!inFlight.compareAndSet(false, true)) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    Pending next;
    while (batch.size() < maxBatch && (next = queue.poll()) != null) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      inFlight.set(false);
      if (!queue.isEmpty()) {
        drain();
      }
      return;
    }
    long started = System.nanoTime();
    decideWithRetry(batch, 1)
        .subscribe()
        .with(
            outcomes -> {
              if (LOG.isDebugEnabled()) {
                LOG.debugf(
                    "gate batch of %s decided in %s ms",
                    batch.size(), (System.nanoTime() - started) / 1_000_000);
              }
              for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outcomes.get(i));
              }
              finish();
            },
            failure -> {
              batch.forEach(p -> p.result().completeExceptionally(failure));
              finish();
            });
  }

  private void finish() {
    inFlight.set(false);
    drain();
  }

  private Uni<List<Gate.Outcome>> decideWithRetry(List<Pending> batch, int attempt) {
    return decide(batch)
        .onFailure(f -> attempt < ATTEMPTS && isTransient(f))
        .recoverWithUni(
            f -> {
              LOG.debugf("gate batch retried after %s", f.getMessage());
              return decideWithRetry(batch, attempt + 1);
            });
  }

  /** Deadlocks (at a period rollover across replicas) and serialization failures are retried. */
  private static boolean isTransient(Throwable failure) {
    return failure instanceof PgException pg
        && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
  }

  private Uni<List<Gate.Outcome>> decide(List<Pending> batch) {
    Instant now = Instant.now();
    Set<String> keys = new LinkedHashSet<>();
    Set<UUID> settleIds = new LinkedHashSet<>();
    for (Pending pending : batch) {
      if (pending.command() instanceof ReserveCommand reserve) {
        keys.add(reserve.idempotencyKey());
      } else if (pending.command() instanceof SettleCommand settle) {
        settleIds.add(settle.reservationId());
      }
    }
    return pool.withTransaction(
        tx ->
            reservations
                .lockKeys(tx, keys)
                .chain(() -> reservations.findByKeys(tx, keys))
                .chain(
                    existing ->
                        reservations
                            .lockForSettle(tx, settleIds)
                            .chain(
                                locked ->
                                    budgets
                                        .live(tx, false)
                                        .chain(
                                            live ->
                                                decideLocked(
                                                    tx, batch, now, existing, locked, live)))));
  }

  private Uni<List<Gate.Outcome>> decideLocked(
      SqlClient tx,
      List<Pending> batch,
      Instant now,
      Map<String, Reservation> existing,
      Map<UUID, Reservation> locked,
      List<Budget> live) {
    List<ReserveCommand> fresh = new ArrayList<>();
    for (Pending pending : batch) {
      if (pending.command() instanceof ReserveCommand reserve
          && !existing.containsKey(reserve.idempotencyKey())) {
        fresh.add(reserve);
      }
    }
    SortedSet<PeriodKey> toLock =
        Gate.periodsToLock(live, fresh, List.copyOf(locked.values()), now);
    Map<UUID, Budget> byId = new HashMap<>();
    live.forEach(b -> byId.put(b.id(), b));
    return periods
        .ensureAndLock(tx, toLock, byId)
        .chain(
            lockedCounters -> {
              Map<PeriodKey, Counter> counters = new HashMap<>();
              lockedCounters.forEach((key, c) -> counters.put(key, counterOf(c)));
              Gate gate = new Gate(live, counters, existing, locked, now, this::toJson);
              List<Gate.Outcome> outcomes = new ArrayList<>(batch.size());
              for (Pending pending : batch) {
                outcomes.add(
                    pending.command() instanceof ReserveCommand reserve
                        ? gate.reserve(reserve, pending.newId())
                        : gate.settle((SettleCommand) pending.command()));
              }
              return write(tx, gate).replaceWith(outcomes);
            });
  }

  private Uni<Void> write(SqlClient tx, Gate gate) {
    List<PeriodStore.CounterUpdate> updates = new ArrayList<>();
    gate.dirtyCounters()
        .forEach(
            (key, c) ->
                updates.add(
                    new PeriodStore.CounterUpdate(key, c.spent, c.held, c.overrun, c.overruns)));
    List<SpendStore.Entry> entries =
        gate.spends.stream()
            .map(
                s ->
                    new SpendStore.Entry(
                        s.reservation(), s.amountUsd(), s.overrunUsd(), s.budgetIds()))
            .toList();
    return periods
        .write(tx, updates)
        .chain(() -> reservations.insert(tx, gate.inserted))
        .chain(() -> reservations.updateSettled(tx, gate.settled.values()))
        .chain(() -> spend.append(tx, entries));
  }

  private static Counter counterOf(PeriodCounters c) {
    return new Counter(c.spentUsd(), c.heldUsd(), c.overrunUsd(), c.overruns());
  }

  private String toJson(Decision decision) {
    try {
      return json.writeValueAsString(decision);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a decision", e);
    }
  }
}
