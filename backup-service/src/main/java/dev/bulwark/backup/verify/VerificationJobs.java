package dev.bulwark.backup.verify;

import dev.bulwark.backup.config.BackupConfig;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.dumps.BackupTaken;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobAlreadyRunning;
import dev.bulwark.backup.jobs.JobEnded;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobOutcome;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.jobs.RetryPolicy;
import dev.bulwark.backup.jobs.ScheduledStarts;
import dev.bulwark.backup.restore.KeyNotAvailable;
import dev.bulwark.backup.restore.RestorePipeline;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs verifications as jobs, after each backup and on demand: one per target at a time (each
 * restores into a scratch database), tried again when storage or the scratch server fails.
 */
@ApplicationScoped
public class VerificationJobs {

  private static final Logger LOG = Logger.getLogger(VerificationJobs.class);

  private final BackupTargets targets;
  private final Backups backups;
  private final RestorePipeline pipeline;
  private final BackupVerifier verifier;
  private final JobRunner runner;
  private final boolean verifyAfterBackup;

  public VerificationJobs(
      BackupTargets targets,
      Backups backups,
      RestorePipeline pipeline,
      BackupVerifier verifier,
      JobRunner runner,
      BackupConfig config) {
    this.targets = targets;
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
    return start(target, backupId, trigger, UUID.randomUUID());
  }

  private Uni<BackupJob> start(String target, String backupId, JobTrigger trigger, UUID id) {
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
        .chain(request -> runner.start(request, id));
  }

  /**
   * Verifies each new backup, unless {@code bulwark.backup.verify-after-backup} is false. While a
   * verification of the target runs, the new backup waits for it to end ({@link
   * #afterVerification}, or {@link #startNewestUnverified} when that replica stopped).
   */
  void afterBackup(@Observes BackupTaken event) {
    if (!verifyAfterBackup) {
      return;
    }
    BackupManifest backup = event.backup();
    try {
      start(backup.target(), backup.backupId(), JobTrigger.BACKUP)
          .await()
          .atMost(Duration.ofSeconds(30));
    } catch (JobAlreadyRunning e) {
      LOG.infof(
          "verification of backup %s of %s waits for verification job %s of the target; it"
              + " starts once that ends",
          backup.backupId(), backup.target(), e.runningJob());
    } catch (RuntimeException e) {
      // The backup stands; startNewestUnverified tries again unless no configured key decrypts it.
      LOG.warnf(
          "verification of backup %s of %s not started: %s",
          backup.backupId(), backup.target(), e.getMessage());
    }
  }

  /**
   * When a verification ends on this replica, starts the one that waited behind it: the target's
   * newest backup's, if it has none stored and never had a verification job. Race-free without a
   * lock of its own: one verification per target runs (the job runner's exclusive key), so when a
   * backup that just ended or the schedule on another replica started it first, this start is
   * {@link JobAlreadyRunning}, which means just that. The schedule stays the safety net for a
   * replica that stopped before this ran, or a start that failed here.
   */
  void afterVerification(@Observes JobEnded ended) {
    if (!verifyAfterBackup || ended.kind() != JobKind.VERIFICATION) {
      return;
    }
    String target = ended.subject();
    try {
      startIfNewestUnverified(
              target, ScheduledStarts.jobId("verification-after", target, ended.id().toString()))
          .await()
          .atMost(Duration.ofSeconds(30));
    } catch (JobAlreadyRunning e) {
      // Someone else started it: nothing waits any more.
    } catch (RuntimeException e) {
      LOG.warnf(
          "verification of the newest backup of %s not started after verification job %s"
              + " ended: %s; the unverified-backups check tries again",
          target, ended.id(), e.getMessage());
    }
  }

  /**
   * Starts a verification of each target's newest backup that has none stored and never had a
   * verification job: the one neither {@link #afterBackup} nor {@link #afterVerification} started
   * (the replica whose verification ran stopped, or the database or storage failed just then). A
   * target whose verification runs is left for the next call.
   *
   * <p>Why a check of storage and the job table rather than a queue of pending verifications: both
   * are already the truth (a backup is unverified until its {@code verification.json} exists), so
   * nothing is lost when a replica stops, any replica can do it (the caller runs it on one at a
   * time, and one verification per target holds across replicas), and a backup that cannot be
   * verified is tried once, its failed job on record, not once per call. Only the newest backup
   * counts: it is the one a restore would take, and verifications never pile up behind backups
   * taken faster than they can be verified.
   */
  Uni<Void> startNewestUnverified(String fireTime) {
    if (!verifyAfterBackup) {
      return Uni.createFrom().voidItem();
    }
    return ScheduledStarts.forEach(
        targets.names(), "verification", fireTime, this::startIfNewestUnverified);
  }

  private Uni<Optional<BackupJob>> startIfNewestUnverified(String target, UUID id) {
    return Uni.createFrom()
        .item(() -> backups.withVerifications(target).stream().findFirst())
        // Listing is a storage call: not on the event loop.
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            newest -> {
              if (newest.isEmpty() || newest.get().verification().isPresent()) {
                return Uni.createFrom().item(Optional.<BackupJob>empty());
              }
              String backupId = newest.get().manifest().backupId();
              return runner
                  .startedFor(JobKind.VERIFICATION, target, backupId)
                  .chain(
                      started ->
                          started
                              ? Uni.createFrom().item(Optional.<BackupJob>empty())
                              : start(target, backupId, JobTrigger.BACKUP, id)
                                  .map(Optional::of)
                                  // afterBackup warned of it: without the key, no verification.
                                  .onFailure(KeyNotAvailable.class)
                                  .recoverWithItem(Optional.empty()));
            });
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
