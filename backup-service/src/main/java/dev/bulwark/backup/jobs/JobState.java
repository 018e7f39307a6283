package dev.bulwark.backup.jobs;

import java.util.Locale;

/** Where a job is: running until it succeeds or fails (an abandoned job fails). */
public enum JobState {
  RUNNING,
  SUCCEEDED,
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
