package dev.bulwark.backup.jobs;

import java.util.Locale;

/** Who started a job: an API call, a schedule, a backup (its verification), or a WAL gap. */
public enum JobTrigger {
  API,
  SCHEDULE,
  BACKUP,
  /** A gap in a target's archived WAL, closed by a base backup. */
  WAL_GAP;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobTrigger fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
