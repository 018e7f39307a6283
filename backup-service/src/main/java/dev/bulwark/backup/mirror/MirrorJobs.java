package dev.bulwark.backup.mirror;

import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobContext;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobOutcome;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobTrigger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs mirrors as jobs, scheduled or on demand: one run per mirror at a time across replicas, and a
 * run that could not copy everything fails and is tried again (it resumes where it stopped).
 */
@ApplicationScoped
public class MirrorJobs {

  private final Mirrors mirrors;
  private final BucketMirror engine;
  private final JobRunner runner;

  public MirrorJobs(Mirrors mirrors, BucketMirror engine, JobRunner runner) {
    this.mirrors = mirrors;
    this.engine = engine;
    this.runner = runner;
  }

  /**
   * Starts a run of the mirror called {@code name}; the answer is the running job.
   *
   * @throws MirrorNotFound when no mirror has that name
   * @throws dev.bulwark.backup.jobs.JobAlreadyRunning when a run of it is in progress
   */
  public Uni<BackupJob> start(String name, JobTrigger trigger) {
    return runner.startChecked(
        JobKind.MIRROR,
        name,
        trigger,
        UUID.randomUUID(),
        () -> mirrors.named(name),
        context -> run(name, context));
  }

  private JobOutcome run(String name, JobContext context) {
    MirrorReport report =
        engine.run(
            name,
            (copied, bytes, pending) ->
                context.progress(
                    Map.of(
                        "objectsCopied", copied, "bytesCopied", bytes, "objectsPending", pending)));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("objectsScanned", report.objectsScanned());
    result.put("objectsCopied", report.objectsCopied());
    result.put("bytesCopied", report.bytesCopied());
    result.put("objectsPending", report.objectsPending());
    result.put("objectsFailed", report.objectsFailed());
    result.put("objectsDeleted", report.objectsDeleted());
    result.put("errors", report.errors());
    if (!report.complete()) {
      context.progress(result);
      throw new MirrorIncomplete(report);
    }
    return new JobOutcome(Optional.empty(), result);
  }
}
