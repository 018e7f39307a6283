package dev.bulwark.backup.mirror;

import java.time.Instant;
import java.util.List;

/**
 * What one run of a mirror did. {@code objectsPending} were found to need copying but were not
 * tried (the run stopped); {@code errors} holds the first few failures, one line each.
 */
public record MirrorReport(
    String mirror,
    Instant startedAt,
    Instant finishedAt,
    long objectsScanned,
    long objectsCopied,
    long bytesCopied,
    long objectsPending,
    long objectsFailed,
    long objectsDeleted,
    List<String> errors) {

  public MirrorReport {
    errors = List.copyOf(errors);
  }

  /** Nothing left to copy and nothing failed: the destination holds every source object. */
  public boolean complete() {
    return objectsPending == 0 && objectsFailed == 0;
  }
}
