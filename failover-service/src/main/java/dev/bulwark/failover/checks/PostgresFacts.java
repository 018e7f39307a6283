package dev.bulwark.failover.checks;

import java.util.Optional;

/**
 * What a postgres check read: whether the member is in recovery, its WAL positions (bytes), whether
 * it refuses writes by default (fenced) and, out of recovery, the timeline it writes on (one more
 * with every promotion).
 */
public record PostgresFacts(
    boolean inRecovery,
    Optional<Long> currentLsn,
    Optional<Long> receiveLsn,
    Optional<Long> replayLsn,
    boolean readOnly,
    Optional<Long> timeline) {

  /** The furthest WAL position this member holds (written, received or replayed). */
  public long furthestLsn() {
    return Math.max(currentLsn.orElse(0L), Math.max(receiveLsn.orElse(0L), replayLsn.orElse(0L)));
  }

  /** The timeline of a WAL file name ({@code 000000020000000000000003}: 2). */
  public static Optional<Long> timeline(String walFile) {
    return walFile == null
        ? Optional.empty()
        : Optional.of(Long.parseLong(walFile.substring(0, 8), 16));
  }

  /** An LSN as PostgreSQL prints it ({@code 16/B374D848}), in bytes. */
  public static Optional<Long> lsn(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    long high = Long.parseLong(text.substring(0, slash), 16);
    long low = Long.parseLong(text.substring(slash + 1), 16);
    return Optional.of((high << 32) | low);
  }
}
