package dev.bulwark.backup.retention;

import java.time.Duration;
import java.util.List;

/**
 * What one retention pass over a target did.
 *
 * @param deleted the backups deleted, newest first
 * @param leftovers the backup ids whose objects had no manifest and were swept
 */
public record RetentionOutcome(
    String target,
    List<RetentionSelection.Kept> kept,
    List<DeletedBackup> deleted,
    List<String> leftovers) {

  public RetentionOutcome {
    kept = List.copyOf(kept);
    deleted = List.copyOf(deleted);
    leftovers = List.copyOf(leftovers);
  }

  /** A backup retention deleted, and how old it was then (since it started). */
  public record DeletedBackup(String backupId, Duration age) {}
}
