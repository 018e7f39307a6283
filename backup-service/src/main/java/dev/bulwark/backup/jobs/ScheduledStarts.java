package dev.bulwark.backup.jobs;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * What every schedule of this service does when it fires (dumps, base backups, PITR verifications):
 * start one job per target, with an id made of the kind, the target and the fire time, so that
 * replicas firing late start none; a job of that kind already running for a target answers the same
 * question and is not an error; one target's failure to start does not keep the others from theirs,
 * and the run fails afterwards naming all that could not start.
 */
public final class ScheduledStarts {

  private ScheduledStarts() {}

  /** The job id of {@code kind} for {@code target} at the schedule's {@code fireTime}. */
  public static UUID jobId(String kind, String target, String fireTime) {
    return UUID.nameUUIDFromBytes(
        (kind + ":" + target + "@" + fireTime).getBytes(StandardCharsets.UTF_8));
  }

  /** Starts {@code start(target, jobId)} for each target, one after the other. */
  public static Uni<Void> forEach(
      Iterable<String> targets,
      String kind,
      String fireTime,
      BiFunction<String, UUID, Uni<?>> start) {
    return Multi.createFrom()
        .iterable(targets)
        .onItem()
        .transformToUniAndConcatenate(
            target ->
                start
                    .apply(target, jobId(kind, target, fireTime))
                    .<Throwable>map(job -> null)
                    .onFailure(JobAlreadyRunning.class)
                    .recoverWithNull()
                    .onFailure()
                    .recoverWithItem(failure -> failure))
        .filter(failure -> failure != null)
        .collect()
        .asList()
        .invoke(
            failures -> {
              if (!failures.isEmpty()) {
                throw new ScheduledStartsFailed(kind, failures);
              }
            })
        .replaceWithVoid();
  }

  /** Some targets' jobs could not be started; the others were. */
  static final class ScheduledStartsFailed extends RuntimeException {
    ScheduledStartsFailed(String kind, List<Throwable> failures) {
      super(
          failures.size()
              + " scheduled "
              + kind
              + " job(s) could not start: "
              + failures.stream().map(Throwable::getMessage).toList(),
          failures.get(0),
          false,
          false);
    }
  }
}
