package dev.bulwark.budget.gate;

import dev.bulwark.budget.exported.GateMetrics;
import dev.bulwark.budget.store.ReservationStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The gate's use cases: reserve, commit (late, if the hold expired), release, look up, expire holds
 * past their TTL, and record spend that had no reservation.
 */
@ApplicationScoped
public class Reservations {

  private static final int EXPIRY_BATCH = 500;

  private final GateBatcher batcher;
  private final ReservationStore store;
  private final GateMetrics metrics;
  private final Clock clock;

  public Reservations(
      GateBatcher batcher, ReservationStore store, GateMetrics metrics, Clock clock) {
    this.batcher = batcher;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The answer, and whether it replays an earlier one with the same idempotency key. */
  public record Answer(Decision decision, boolean replayed) {}

  public Uni<Answer> reserve(ReserveCommand command) {
    long started = System.nanoTime();
    return batcher
        .submit(command)
        .map(
            outcome -> {
              GateOutcome.Decided decided = expect(outcome, GateOutcome.Decided.class);
              metrics.decided(
                  decided.decision().granted(), decided.replayed(), System.nanoTime() - started);
              return new Answer(decided.decision(), decided.replayed());
            });
  }

  public Uni<Reservation> commit(UUID id, BigDecimal actualUsd) {
    long started = System.nanoTime();
    return batcher
        .submit(SettleCommand.commit(id, actualUsd))
        .map(
            outcome -> {
              GateOutcome.Settled settled = expect(outcome, GateOutcome.Settled.class);
              Reservation committed = settled.reservation();
              if (!settled.replayed()) {
                metrics.committed(
                    committed.estimateUsd(),
                    committed.actualUsd(),
                    committed.late(),
                    System.nanoTime() - started);
              }
              return committed;
            });
  }

  /** The recorded spend, and whether it replays an earlier one with the same idempotency key. */
  public record Recorded(UngatedSpend spend, boolean replayed) {}

  /** Records spend that had no reservation in the budgets it matches; never refused for room. */
  public Uni<Recorded> recordUngated(UngatedCommand command) {
    return batcher
        .submit(command)
        .map(
            outcome -> {
              GateOutcome.Recorded recorded = expect(outcome, GateOutcome.Recorded.class);
              if (!recorded.replayed()) {
                metrics.ungated(recorded.spend().amountUsd());
              }
              return new Recorded(recorded.spend(), recorded.replayed());
            });
  }

  public Uni<Reservation> release(UUID id) {
    return batcher
        .submit(SettleCommand.release(id))
        .map(outcome -> expect(outcome, GateOutcome.Settled.class).reservation());
  }

  public Uni<Reservation> find(UUID id) {
    return store
        .find(id)
        .map(found -> found.orElseThrow(() -> new GateProblems.ReservationNotFound(id)));
  }

  /** Expires every hold due at the clock's instant; returns how many it expired. */
  public Uni<Integer> expireDue() {
    return store
        .dueForExpiry(clock.instant(), EXPIRY_BATCH)
        .onItem()
        .transformToUni(
            ids ->
                Multi.createFrom()
                    .iterable(ids)
                    .onItem()
                    .transformToUniAndMerge(id -> batcher.submit(SettleCommand.expire(id)))
                    // A hold settled meanwhile answers with its other status or a refusal.
                    .filter(
                        o ->
                            o instanceof GateOutcome.Settled settled
                                && !settled.replayed()
                                && settled.reservation().status() == ReservationStatus.EXPIRED)
                    .collect()
                    .with(Collectors.counting())
                    .map(Long::intValue))
        .invoke(metrics::expired);
  }

  /** The outcome as the type the operation answers with, or its refusal thrown. */
  private static <T extends GateOutcome> T expect(GateOutcome outcome, Class<T> type) {
    if (outcome instanceof GateOutcome.Refused refused) {
      throw refused.problem();
    }
    return type.cast(outcome);
  }
}
