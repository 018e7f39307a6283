package dev.bulwark.backup.jobs;

import java.util.Locale;

/** Who started a job: an API call, a schedule, or a backup (its verification). */
public enum JobTrigger {
  API,
  SCHEDULE,
  BACKUP;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobTrigger fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
