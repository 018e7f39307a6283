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
import io.vertx.mutiny.sqlclient.SqlConnection;
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
import java.util.concurrent.atomic.AtomicInteger;
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
  private final int maxInFlight;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  // The budgets the last batch saw: the next one predicts which periods to lock from them.
  private volatile List<Budget> knownBudgets = List.of();

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
    this.maxInFlight = config.gate().maxInFlight();
  }

  /** Queues a {@link ReserveCommand} or {@link SettleCommand}; completes when its batch commits. */
  public Uni<Gate.Outcome> submit(Object command) {
    Pending pending = new Pending(command, UUID.randomUUID(), new CompletableFuture<>());
    queue.add(pending);
    drain();
    return Uni.createFrom().completionStage(pending.result());
  }

  private void drain() {
    int running = inFlight.get();
    if (running >= maxInFlight || !inFlight.compareAndSet(running, running + 1)) {
      if (running < maxInFlight) {
        drain(); // lost a race for a slot that is still free: try again
      }
      return;
    }
    List<Pending> batch = new ArrayList<>();
    Pending next;
    while (batch.size() < maxBatch && (next = queue.poll()) != null) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      inFlight.decrementAndGet();
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
    inFlight.decrementAndGet();
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

  /**
   * Retried: an idempotency key committed by a concurrent batch (the retry replays it), deadlocks
   * (possible at a period rollover across replicas) and serialization failures.
   */
  private static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        return ReservationStore.KEY_RACE.equals(state)
            || "40P01".equals(state)
            || "40001".equals(state);
      }
      if (t instanceof io.smallrye.mutiny.CompositeException composite) {
        return composite.getCauses().stream().anyMatch(GateBatcher::isTransient);
      }
    }
    return false;
  }

  /**
   * One batch in two round trips: BEGIN, the reads and the period locks go out together; then the
   * writes and COMMIT. Periods are predicted from the budgets the previous batch saw; if budgets
   * changed meanwhile, the missing periods are locked in one more round trip.
   */
  private Uni<List<Gate.Outcome>> decide(List<Pending> batch) {
    Instant now = Instant.now();
    Set<String> keys = new LinkedHashSet<>();
    Set<UUID> settleIds = new LinkedHashSet<>();
    List<ReserveCommand> reserves = new ArrayList<>();
    for (Pending pending : batch) {
      if (pending.command() instanceof ReserveCommand reserve) {
        keys.add(reserve.idempotencyKey());
        reserves.add(reserve);
      } else if (pending.command() instanceof SettleCommand settle) {
        settleIds.add(settle.reservationId());
      }
    }
    List<Budget> known = knownBudgets;
    SortedSet<PeriodKey> predicted = Gate.periodsToLock(known, reserves, List.of(), now);
    return pool.withConnection(
        conn ->
            Uni.combine()
                .all()
                .unis(
                    // Every gate statement is a keyed lookup. Statistics of the fast-growing tables
                    // lag autoanalyze, and a plan made when they were small scans them whole.
                    conn.query("BEGIN; SET LOCAL enable_seqscan = off").execute(),
                    periods.ensure(conn, predicted, byId(known)),
                    reservations.findByKeys(conn, keys),
                    reservations.lockForSettle(conn, settleIds),
                    budgets.live(conn, false),
                    periods.lock(conn, predicted, settleIds))
                .collectFailures()
                .asTuple()
                .chain(
                    t -> {
                      knownBudgets = t.getItem5();
                      return decideLocked(
                          conn, batch, now, t.getItem3(), t.getItem4(), t.getItem5(), t.getItem6());
                    })
                .onFailure()
                .call(() -> conn.query("ROLLBACK").execute().onFailure().recoverWithNull()));
  }

  private Uni<List<Gate.Outcome>> decideLocked(
      SqlConnection conn,
      List<Pending> batch,
      Instant now,
      Map<String, Reservation> existing,
      Map<UUID, Reservation> locked,
      List<Budget> live,
      Map<PeriodKey, PeriodCounters> lockedCounters) {
    List<ReserveCommand> fresh = new ArrayList<>();
    for (Pending pending : batch) {
      if (pending.command() instanceof ReserveCommand reserve
          && !existing.containsKey(reserve.idempotencyKey())) {
        fresh.add(reserve);
      }
    }
    SortedSet<PeriodKey> missing =
        Gate.periodsToLock(live, fresh, List.copyOf(locked.values()), now);
    missing.removeAll(lockedCounters.keySet());
    Uni<Map<PeriodKey, PeriodCounters>> allCounters =
        missing.isEmpty()
            ? Uni.createFrom().item(lockedCounters)
            : periods
                .ensureAndLock(conn, missing, byId(live))
                .map(
                    more -> {
                      Map<PeriodKey, PeriodCounters> merged = new HashMap<>(lockedCounters);
                      merged.putAll(more);
                      return merged;
                    });
    return allCounters.chain(
        counters -> {
          Map<PeriodKey, Counter> mutable = new HashMap<>();
          counters.forEach((key, c) -> mutable.put(key, counterOf(c)));
          Gate gate = new Gate(live, mutable, existing, locked, now, this::toJson);
          List<Gate.Outcome> outcomes = new ArrayList<>(batch.size());
          for (Pending pending : batch) {
            outcomes.add(
                pending.command() instanceof ReserveCommand reserve
                    ? gate.reserve(reserve, pending.newId())
                    : gate.settle((SettleCommand) pending.command()));
          }
          return writeAndCommit(conn, gate).replaceWith(outcomes);
        });
  }

  /**
   * The writes and COMMIT in one round trip; if a write fails, PostgreSQL turns COMMIT into
   * ROLLBACK.
   */
  private Uni<Void> writeAndCommit(SqlConnection conn, Gate gate) {
    List<PeriodStore.CounterUpdate> updates = new ArrayList<>();
    gate.dirtyCounters()
        .forEach(
            (key, c) ->
                updates.add(
                    new PeriodStore.CounterUpdate(key, c.spent, c.held, c.overrun, c.overruns)));
    return Uni.combine()
        .all()
        .unis(
            periods.write(conn, updates),
            reservations.insert(conn, gate.inserted),
            reservations.updateSettled(conn, gate.settled.values()),
            spend.append(conn, gate.spends),
            conn.query("COMMIT").execute())
        .collectFailures()
        .discardItems();
  }

  private static Map<UUID, Budget> byId(List<Budget> budgets) {
    Map<UUID, Budget> byId = new HashMap<>();
    budgets.forEach(b -> byId.put(b.id(), b));
    return byId;
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
