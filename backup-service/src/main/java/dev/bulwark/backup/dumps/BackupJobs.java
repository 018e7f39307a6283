package dev.bulwark.backup.dumps;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobOutcome;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobTrigger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Starts logical backups as jobs: one per target at a time, tried again on transient failures. */
@ApplicationScoped
public class BackupJobs {

  private final BackupTargets targets;
  private final AgeKeyring keyring;
  private final LogicalBackup backup;
  private final JobRunner runner;
  private final Event<BackupTaken> taken;

  public BackupJobs(
      BackupTargets targets,
      AgeKeyring keyring,
      LogicalBackup backup,
      JobRunner runner,
      Event<BackupTaken> taken) {
    this.targets = targets;
    this.keyring = keyring;
    this.backup = backup;
    this.runner = runner;
    this.taken = taken;
  }

  /**
   * Starts a backup of {@code target}; the answer is the running job.
   *
   * @throws TargetNotFound when no target has that name
   * @throws RecipientMissing when no age recipient is configured
   * @throws dev.bulwark.backup.jobs.JobAlreadyRunning when a backup of the target is running
   */
  public Uni<BackupJob> start(String target, JobTrigger trigger) {
    return start(target, trigger, UUID.randomUUID());
  }

  Uni<BackupJob> start(String target, JobTrigger trigger, UUID id) {
    return runner.startChecked(
        JobKind.BACKUP,
        target,
        trigger,
        id,
        () -> {
          targets.named(target);
          keyring.recipient().orElseThrow(RecipientMissing::new);
        },
        context -> {
          context.progress(Map.of("phase", "dumping"));
          BackupManifest manifest = backup.run(target);
          taken.fire(new BackupTaken(manifest));
          return outcome(manifest);
        });
  }

  private static JobOutcome outcome(BackupManifest manifest) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("backupId", manifest.backupId());
    result.put(
        "durationSeconds",
        Duration.between(manifest.startedAt(), manifest.finishedAt()).toMillis() / 1000.0);
    result.put("rawBytes", manifest.rawBytes());
    result.put("storedBytes", manifest.storedBytes());
    result.put("storedSha256", manifest.storedSha256());
    result.put("tables", manifest.rowCounts().size());
    result.put("rows", manifest.rowCounts().values().stream().mapToLong(Long::longValue).sum());
    return new JobOutcome(Optional.of(manifest.backupId()), result);
  }
}
