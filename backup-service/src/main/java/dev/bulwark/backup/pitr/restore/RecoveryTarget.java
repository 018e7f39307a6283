package dev.bulwark.backup.pitr.restore;

import java.time.Instant;

/** The point a restore recovers to: a time, an LSN, or the end of the archived WAL. */
public sealed interface RecoveryTarget {

  /** Recovery stops before the first commit after {@code time}. */
  record AtTime(Instant time) implements RecoveryTarget {}

  /** Recovery stops after the record at {@code lsn} (PostgreSQL's text form). */
  record AtLsn(String lsn) implements RecoveryTarget {}

  /** Recovery replays every archived record, the newest partial segment's included. */
  record Latest() implements RecoveryTarget {}

  /** How the report names it. */
  default String describe() {
    if (this instanceof AtTime t) {
      return "time " + t.time();
    }
    if (this instanceof AtLsn l) {
      return "lsn " + l.lsn();
    }
    return "latest";
  }
}
