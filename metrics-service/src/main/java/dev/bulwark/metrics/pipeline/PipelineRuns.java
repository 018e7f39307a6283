package dev.bulwark.metrics.pipeline;

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
      throw new NotAFinalStatus();
    }
    Instant at = rules.atOrNow("finishedAt", finishedAt);
    return find(id)
        .flatMap(
            run -> {
              if (run.status() != RunStatus.RUNNING) {
                throw new RunAlreadyFinished(run);
              }
              if (at.isBefore(run.startedAt())) {
                throw new FinishedBeforeStart(at, run);
              }
              return store.finish(id, status, at, counts);
            })
        .flatMap(
            finished ->
                finished
                    .map(run -> Uni.createFrom().item(run))
                    // Another finish won the race between our read and our update.
                    .orElseGet(() -> find(id).onItem().failWith(RunAlreadyFinished::new)));
  }

  public Uni<PipelineRun> find(UUID id) {
    return store.find(id).map(run -> run.orElseThrow(() -> new RunNotFound(id)));
  }

  public Uni<List<PipelineRun>> recent(int limit) {
    return store.recent(limit);
  }
}
