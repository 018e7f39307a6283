package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobOutcome;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.jobs.RetryPolicy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Starts restores to a point, and their scheduled verifications (restore to latest in a scratch
 * instance, check it answers, record it, remove it), as jobs: never tried again (a half-made data
 * directory is not safe to reuse), one per target at a time.
 */
@ApplicationScoped
public class PitrRestoreJobs {

  private final PitrRestorer restorer;
  private final VerifiedRestores verified;
  private final JobRunner runner;
  private final Clock clock;

  public PitrRestoreJobs(
      PitrRestorer restorer, VerifiedRestores verified, JobRunner runner, Clock clock) {
    this.restorer = restorer;
    this.verified = verified;
    this.runner = runner;
    this.clock = clock;
  }

  /**
   * Starts a restore of {@code target} to {@code point}; refused before any job exists when the
   * plan cannot work (window, gap, no base backup, directory not empty).
   */
  public Uni<BackupJob> restore(
      String target, RecoveryTarget point, Optional<Path> directory, boolean start) {
    return Uni.createFrom()
        .item(() -> restorer.plan(target, point, directory))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(
            plan ->
                new JobRunner.Request(
                    JobKind.PITR_RESTORE,
                    target,
                    Optional.of(plan.base().backupId()),
                    "pitr-restore:" + target,
                    JobTrigger.API,
                    RetryPolicy.NEVER,
                    context -> {
                      PitrRestoreReport report =
                          restorer.restore(
                              target,
                              point,
                              directory,
                              start,
                              phase -> context.progress(Map.of("phase", phase)));
                      return new JobOutcome(Optional.of(report.baseBackupId()), result(report));
                    }))
        .chain(request -> runner.start(request, UUID.randomUUID()));
  }

  /** Starts a verification of {@code target}: restore to latest, check, record, clean up. */
  public Uni<BackupJob> verify(String target, JobTrigger trigger, UUID id) {
    return Uni.createFrom()
        .item(() -> restorer.plan(target, new RecoveryTarget.Latest(), Optional.empty()))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(
            plan ->
                new JobRunner.Request(
                    JobKind.PITR_RESTORE,
                    target,
                    Optional.of(plan.base().backupId()),
                    "pitr-restore:" + target,
                    trigger,
                    RetryPolicy.NEVER,
                    context -> {
                      PitrRestoreReport report =
                          restorer.restore(
                              target,
                              new RecoveryTarget.Latest(),
                              Optional.empty(),
                              true,
                              phase -> context.progress(Map.of("phase", phase)));
                      try {
                        long tables = report.tables().orElse(0L);
                        verified.record(
                            new VerifiedRestore(
                                target,
                                clock.instant(),
                                report.baseBackupId(),
                                report.reachedTime(),
                                report.reachedLsn(),
                                tables));
                        Map<String, Object> result = result(report);
                        result.put("verified", true);
                        return new JobOutcome(Optional.of(report.baseBackupId()), result);
                      } finally {
                        // A verification keeps nothing: its data directory and staging go.
                        deleteTree(Path.of(report.dataDirectory()).getParent());
                      }
                    }))
        .chain(request -> runner.start(request, id));
  }

  private static Map<String, Object> result(PitrRestoreReport report) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("baseBackupId", report.baseBackupId());
    result.put("asked", report.asked());
    result.put("timeline", report.timeline());
    report.reachedTime().ifPresent(t -> result.put("reachedTime", t.toString()));
    report.reachedLsn().ifPresent(l -> result.put("reachedLsn", l));
    result.put("walFiles", report.walFiles());
    result.put("walBytes", report.walBytes());
    result.put("dataDirectory", report.dataDirectory());
    result.put("walStaging", report.walStaging());
    result.put("started", report.started());
    report.tables().ifPresent(t -> result.put("tables", t));
    result.put("phaseSeconds", report.phaseSeconds());
    return result;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
