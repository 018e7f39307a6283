package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.dumps.RecipientMissing;
import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobOutcome;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobTrigger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Starts base backups as jobs: one per target at a time, tried again on transient failures. */
@ApplicationScoped
public class BaseBackupJobs {

  private final PitrTargets targets;
  private final AgeKeyring keyring;
  private final PgBaseBackup backup;
  private final JobRunner runner;

  public BaseBackupJobs(
      PitrTargets targets, AgeKeyring keyring, PgBaseBackup backup, JobRunner runner) {
    this.targets = targets;
    this.keyring = keyring;
    this.backup = backup;
    this.runner = runner;
  }

  /**
   * Starts a base backup of {@code target}; the answer is the running job.
   *
   * @throws dev.bulwark.backup.dumps.TargetNotFound when no target has that name
   * @throws PitrNotEnabled when the target has no PITR
   * @throws RecipientMissing when no age recipient is configured
   * @throws dev.bulwark.backup.jobs.JobAlreadyRunning when a base backup of it is running
   */
  public Uni<BackupJob> start(String target, JobTrigger trigger) {
    return start(target, trigger, UUID.randomUUID());
  }

  Uni<BackupJob> start(String target, JobTrigger trigger, UUID id) {
    return runner.startChecked(
        JobKind.BASE_BACKUP,
        target,
        trigger,
        id,
        () -> {
          targets.enabled(target);
          keyring.recipient().orElseThrow(RecipientMissing::new);
        },
        context -> {
          context.progress(Map.of("phase", "streaming"));
          return outcome(backup.run(target));
        });
  }

  private static JobOutcome outcome(BaseBackupManifest manifest) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("backupId", manifest.backupId());
    result.put(
        "durationSeconds",
        Duration.between(manifest.startedAt(), manifest.finishedAt()).toMillis() / 1000.0);
    result.put("timeline", manifest.timeline());
    result.put("startLsn", manifest.startLsn());
    result.put("endLsn", manifest.endLsn());
    result.put("rawBytes", manifest.rawBytes());
    result.put("storedBytes", manifest.storedBytes());
    return new JobOutcome(Optional.of(manifest.backupId()), result);
  }
}
