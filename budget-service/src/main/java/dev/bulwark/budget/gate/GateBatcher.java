package dev.bulwark.budget.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.store.GateStore;
import dev.bulwark.common.problem.DatabaseFailures;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Group commit for the gate: operations that arrive while a batch is in flight wait in a queue and
 * are then decided together, in arrival order, by one database statement that locks each affected
 * budget period once. Every decision sees the counters left by the ones before it, so batching
 * never weakens the guarantee; it only saves round trips and commits on hot budgets.
 */
@ApplicationScoped
public class GateBatcher {

  private static final Logger LOG = Logger.getLogger(GateBatcher.class);
  private static final int ATTEMPTS = 3;

  private record Pending(GateCommand command, UUID newId, CompletableFuture<GateOutcome> result) {}

  private final GateStore gate;
  private final ObjectMapper json;
  private final Clock clock;
  private final int maxBatch;
  private final int maxInFlight;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  public GateBatcher(GateStore gate, ObjectMapper json, BudgetConfig config, Clock clock) {
    this.gate = gate;
    this.json = json;
    this.clock = clock;
    this.maxBatch = config.gate().maxBatch();
    this.maxInFlight = config.gate().maxInFlight();
  }

  /** Queues a command; completes when its batch commits. */
  Uni<GateOutcome> submit(GateCommand command) {
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

  private Uni<List<GateOutcome>> decideWithRetry(List<Pending> batch, int attempt) {
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
    return DatabaseFailures.hasSqlState(failure, GateStore.KEY_RACE)
        || DatabaseFailures.isRetryable(failure);
  }

  /**
   * One batch in one round trip: {@code gate_batch} locks, decides and writes in one statement in
   * its own transaction, and answers each operation in order.
   */
  private Uni<List<GateOutcome>> decide(List<Pending> batch) {
    List<GateCommand> commands = new ArrayList<>(batch.size());
    List<UUID> newIds = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      commands.add(pending.command());
      newIds.add(pending.newId());
    }
    return gate.decide(clock.instant(), commands, newIds)
        .map(
            answers -> {
              List<GateOutcome> outcomes = new ArrayList<>(answers.size());
              for (int i = 0; i < answers.size(); i++) {
                outcomes.add(outcome(batch.get(i).command(), answers.get(i)));
              }
              return outcomes;
            });
  }

  /** Turns one answer of {@code gate_batch} into a value or a typed problem. */
  private GateOutcome outcome(GateCommand command, GateAnswer answer) {
    String body = answer.body();
    if (command instanceof ReserveCommand reserve) {
      return switch (answer.code()) {
        case DECISION -> new GateOutcome.Decided(read(body, Decision.class), answer.replayed());
        case KEY_REUSED ->
            new GateOutcome.Refused(
                new GateProblems.IdempotencyKeyReused(reserve.idempotencyKey()));
        default -> throw unexpected(command, answer);
      };
    }
    if (command instanceof UngatedCommand ungated) {
      return switch (answer.code()) {
        case DECISION ->
            new GateOutcome.Recorded(read(body, UngatedSpend.class), answer.replayed());
        case KEY_REUSED ->
            new GateOutcome.Refused(
                new GateProblems.IdempotencyKeyReused(ungated.idempotencyKey()));
        default -> throw unexpected(command, answer);
      };
    }
    SettleCommand settle = (SettleCommand) command;
    UUID id = settle.reservationId();
    return switch (answer.code()) {
      case RESERVATION -> new GateOutcome.Settled(read(body, Reservation.class), answer.replayed());
      case NOT_FOUND -> new GateOutcome.Refused(new GateProblems.ReservationNotFound(id));
      case ALREADY_COMMITTED ->
          new GateOutcome.Refused(new GateProblems.AlreadyCommitted(id, new BigDecimal(body)));
      case SETTLED ->
          new GateOutcome.Refused(
              new GateProblems.ReservationSettled(
                  id, ReservationStatus.fromWire(body), settle.kind()));
      default -> throw unexpected(command, answer);
    };
  }

  private static IllegalStateException unexpected(GateCommand command, GateAnswer answer) {
    return new IllegalStateException(
        "gate_batch answered " + answer.code().sql() + " to " + command.getClass().getSimpleName());
  }

  private <T> T read(String body, Class<T> type) {
    try {
      return json.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("gate_batch answered unreadable JSON", e);
    }
  }
}
