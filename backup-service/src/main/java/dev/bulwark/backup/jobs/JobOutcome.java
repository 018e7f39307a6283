package dev.bulwark.backup.jobs;

import java.util.Map;
import java.util.Optional;

/** What a job produced: the backup it made or worked on, and its report. */
public record JobOutcome(Optional<String> backupId, Map<String, Object> result) {

  public JobOutcome {
    result = Map.copyOf(result);
  }
}
