package dev.bulwark.backup.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One piece of background work as recorded in the database.
 *
 * @param subject the target or mirror it works on
 * @param progress what the work reported last (bytes, tables, attempt's error)
 * @param result the work's report once it succeeded
 */
public record BackupJob(
    UUID id,
    JobKind kind,
    String subject,
    Optional<String> backupId,
    JobState state,
    JobTrigger trigger,
    int attempt,
    Instant createdAt,
    Optional<Instant> finishedAt,
    Instant heartbeatAt,
    Map<String, Object> progress,
    Optional<Map<String, Object>> result,
    Optional<String> error) {

  public BackupJob {
    progress = Map.copyOf(progress);
    result = result.map(Map::copyOf);
  }
}
