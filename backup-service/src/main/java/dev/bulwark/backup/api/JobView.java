package dev.bulwark.backup.api;

import dev.bulwark.backup.jobs.BackupJob;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job as the API shows it; {@code finishedAt}, {@code result} and {@code error} are JSON null
 * until it ends, {@code backupId} until it is known.
 */
public record JobView(
    UUID id,
    String kind,
    String subject,
    String backupId,
    String state,
    String trigger,
    int attempt,
    Instant createdAt,
    Instant finishedAt,
    Instant heartbeatAt,
    Map<String, Object> progress,
    Map<String, Object> result,
    String error) {

  static JobView of(BackupJob job) {
    return new JobView(
        job.id(),
        job.kind().wire(),
        job.subject(),
        job.backupId().orElse(null),
        job.state().wire(),
        job.trigger().wire(),
        job.attempt(),
        job.createdAt(),
        job.finishedAt().orElse(null),
        job.heartbeatAt(),
        job.progress(),
        job.result().orElse(null),
        job.error().orElse(null));
  }
}
