package dev.bulwark.metrics.pipeline;

import dev.bulwark.common.problem.ConflictProblem;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.problem.NotFoundProblem;
import dev.bulwark.metrics.intake.IntakeRules;
import dev.bulwark.metrics.store.PipelineRunStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Start and finish of the nightly pipeline's runs. */
@ApplicationScoped
public class PipelineRuns {

  private final PipelineRunStore store;
  private final IntakeRules rules;

  public PipelineRuns(PipelineRunStore store, IntakeRules rules) {
    this.store = store;
    this.rules = rules;
  }

  public Uni<PipelineRun> start(Instant startedAt) {
    Instant at = rules.atOrNow("startedAt", startedAt);
    return store.start(UUID.randomUUID(), at);
  }

  public Uni<PipelineRun> finish(
      UUID id, RunStatus status, Instant finishedAt, Map<String, Long> counts) {
    if (status == RunStatus.RUNNING) {
      throw new InvalidRequestProblem("status", "must be succeeded or failed");
    }
    Instant at = rules.atOrNow("finishedAt", finishedAt);
    return find(id)
        .flatMap(
            run -> {
              if (run.status() != RunStatus.RUNNING) {
                throw alreadyFinished(run);
              }
              if (at.isBefore(run.startedAt())) {
                throw new InvalidRequestProblem(
                    "finishedAt", at + " is before the run started (" + run.startedAt() + ")");
              }
              return store.finish(id, status, at, counts);
            })
        // Another finish won the race between our read and our update.
        .flatMap(run -> run != null ? Uni.createFrom().item(run) : find(id).map(this::conflict));
  }

  public Uni<PipelineRun> find(UUID id) {
    return store
        .find(id)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundProblem("run-not-found", "no pipeline run " + id));
  }

  public Uni<List<PipelineRun>> recent(int limit) {
    return store.recent(limit);
  }

  private PipelineRun conflict(PipelineRun run) {
    throw alreadyFinished(run);
  }

  private static ConflictProblem alreadyFinished(PipelineRun run) {
    return new ConflictProblem(
        "run-finished",
        "pipeline run "
            + run.id()
            + " already finished "
            + run.status().wire()
            + " at "
            + run.finishedAt());
  }
}
