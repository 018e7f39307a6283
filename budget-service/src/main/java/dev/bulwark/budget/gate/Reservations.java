package dev.bulwark.budget.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.budget.metrics.GateMetrics;
import dev.bulwark.budget.store.ReservationStore;
import dev.bulwark.common.jobs.SingleReplicaJobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The gate's use cases: reserve, commit, release, look up, and expire holds past their TTL. */
@ApplicationScoped
public class Reservations {

  private static final Logger LOG = Logger.getLogger(Reservations.class);
  private static final int EXPIRY_BATCH = 500;

  private final GateBatcher batcher;
  private final ReservationStore store;
  private final GateMetrics metrics;
  private final SingleReplicaJobs jobs;
  private final ObjectMapper json;

  public Reservations(
      GateBatcher batcher,
      ReservationStore store,
      GateMetrics metrics,
      SingleReplicaJobs jobs,
      ObjectMapper json) {
    this.batcher = batcher;
    this.store = store;
    this.metrics = metrics;
    this.jobs = jobs;
    this.json = json;
  }

  /** The answer, and whether it replays an earlier one with the same idempotency key. */
  public record Answer(Decision decision, boolean replayed) {}

  public Uni<Answer> reserve(ReserveCommand command) {
    long started = System.nanoTime();
    return batcher
        .submit(command)
        .map(
            outcome -> {
              Decision decision = decision(unwrap(outcome));
              metrics.decided(decision.granted(), outcome.replayed(), System.nanoTime() - started);
              return new Answer(decision, outcome.replayed());
            });
  }

  public Uni<Reservation> commit(UUID id, BigDecimal actualUsd) {
    long started = System.nanoTime();
    return batcher
        .submit(new SettleCommand(id, SettleCommand.Kind.COMMIT, actualUsd))
        .map(
            outcome -> {
              Reservation committed = (Reservation) unwrap(outcome);
              if (!outcome.replayed()) {
                metrics.committed(
                    committed.estimateUsd(), committed.actualUsd(), System.nanoTime() - started);
              }
              return committed;
            });
  }

  public Uni<Reservation> release(UUID id) {
    return batcher
        .submit(new SettleCommand(id, SettleCommand.Kind.RELEASE, null))
        .map(outcome -> (Reservation) unwrap(outcome));
  }

  public Uni<Reservation> find(UUID id) {
    return store
        .find(id)
        .map(found -> found.orElseThrow(() -> new GateProblems.ReservationNotFound(id)));
  }

  /** Releases holds past their TTL; one replica at a time. */
  @Scheduled(
      every = "${bulwark.budget.gate.expiry-every:5s}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> expireDueHolds() {
    return jobs.runExclusively("budget-expire-holds", () -> expireDue(Instant.now()))
        .onFailure()
        .invoke(f -> LOG.warnf("hold expiry failed, will retry: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Expires every hold due at {@code now}; returns how many it expired. */
  public Uni<Integer> expireDue(Instant now) {
    return store
        .dueForExpiry(now, EXPIRY_BATCH)
        .onItem()
        .transformToUni(
            ids ->
                Multi.createFrom()
                    .iterable(ids)
                    .onItem()
                    .transformToUniAndMerge(
                        id ->
                            batcher.submit(new SettleCommand(id, SettleCommand.Kind.EXPIRE, null)))
                    .filter(
                        o ->
                            o.problem() == null
                                && Reservation.EXPIRED.equals(((Reservation) o.value()).status()))
                    .collect()
                    .with(java.util.stream.Collectors.counting())
                    .map(Long::intValue))
        .invoke(n -> metrics.expired(n));
  }

  private static Object unwrap(Outcome outcome) {
    if (outcome.problem() != null) {
      throw outcome.problem();
    }
    return outcome.value();
  }

  /** The decision as {@code gate_batch} wrote it (and stored it for replays). */
  private Decision decision(Object value) {
    try {
      return json.readValue((String) value, Decision.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored decision is unreadable", e);
    }
  }
}
