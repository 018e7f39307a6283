package dev.bulwark.backup.jobs;

import dev.bulwark.common.problem.InvalidParameter;
import java.util.Arrays;
import java.util.Locale;

/** What a job does. */
public enum JobKind {
  BACKUP,
  VERIFICATION,
  RESTORE,
  MIRROR,
  /** A PITR base backup (pg_basebackup). */
  BASE_BACKUP,
  /** A PITR restore to a point, or its scheduled verification. */
  PITR_RESTORE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The kind a query parameter names.
   *
   * @throws InvalidParameter naming the kinds there are
   */
  public static JobKind fromParameter(String parameter, String value) {
    return Arrays.stream(values())
        .filter(k -> k.wire().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidParameter(
                    parameter,
                    value,
                    "one of " + Arrays.stream(values()).map(JobKind::wire).toList()));
  }

  public static JobKind fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
