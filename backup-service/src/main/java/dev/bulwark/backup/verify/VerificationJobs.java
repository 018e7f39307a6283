package dev.bulwark.backup.verify;

import dev.bulwark.backup.config.BackupConfig;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.dumps.BackupTaken;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobOutcome;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.jobs.RetryPolicy;
import dev.bulwark.backup.restore.RestorePipeline;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs verifications as jobs, after each backup and on demand: one per target at a time (each
 * restores into a scratch database), tried again when storage or the scratch server fails.
 */
@ApplicationScoped
public class VerificationJobs {

  private static final Logger LOG = Logger.getLogger(VerificationJobs.class);

  private final Backups backups;
  private final RestorePipeline pipeline;
  private final BackupVerifier verifier;
  private final JobRunner runner;
  private final boolean verifyAfterBackup;

  public VerificationJobs(
      Backups backups,
      RestorePipeline pipeline,
      BackupVerifier verifier,
      JobRunner runner,
      BackupConfig config) {
    this.backups = backups;
    this.pipeline = pipeline;
    this.verifier = verifier;
    this.runner = runner;
    this.verifyAfterBackup = config.verifyAfterBackup();
  }

  /**
   * Starts a verification of one backup; the answer is the running job.
   *
   * @throws dev.bulwark.backup.dumps.TargetNotFound when no target has that name
   * @throws BackupNotFound when the target has no such backup
   * @throws dev.bulwark.backup.restore.KeyNotAvailable when no identity decrypts it
   * @throws dev.bulwark.backup.jobs.JobAlreadyRunning when a verification of the target runs
   */
  public Uni<BackupJob> start(String target, String backupId, JobTrigger trigger) {
    return Uni.createFrom()
        .item(
            () -> {
              BackupManifest manifest =
                  backups
                      .find(target, backupId)
                      .orElseThrow(() -> new BackupNotFound(target, backupId));
              pipeline.requireKey(manifest);
              return new JobRunner.Request(
                  JobKind.VERIFICATION,
                  target,
                  Optional.of(backupId),
                  "verification:" + target,
                  trigger,
                  RetryPolicy.TRANSIENT_FAILURES,
                  context ->
                      outcome(
                          verifier.verify(
                              target,
                              backupId,
                              (bytesRead, bytesTotal, tablesDone, tablesTotal) ->
                                  context.progress(
                                      Map.of(
                                          "bytesRead", bytesRead,
                                          "bytesTotal", bytesTotal,
                                          "tablesDone", tablesDone,
                                          "tablesTotal", tablesTotal)))));
            })
        // Reading the manifest is a storage call: not on the event loop.
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(runner::start);
  }

  /** Verifies each new backup, unless {@code bulwark.backup.verify-after-backup} is false. */
  void afterBackup(@Observes BackupTaken event) {
    if (!verifyAfterBackup) {
      return;
    }
    BackupManifest backup = event.backup();
    try {
      start(backup.target(), backup.backupId(), JobTrigger.BACKUP)
          .await()
          .atMost(Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      // The backup stands; its verification waits for the next one or an operator's request.
      LOG.warnf(
          "verification of backup %s of %s not started: %s",
          backup.backupId(), backup.target(), e.getMessage());
    }
  }

  private static JobOutcome outcome(BackupVerification verification) {
    if (!verification.passed()) {
      throw new VerificationFailed(verification);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("passed", true);
    result.put(
        "durationSeconds",
        Duration.between(verification.startedAt(), verification.finishedAt()).toMillis() / 1000.0);
    result.put("tables", verification.restoredRowCounts().size());
    return new JobOutcome(Optional.of(verification.backupId()), result);
  }
}
