package dev.bulwark.backup.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The UTC months that partition the archived calls. */
public final class LlmCallMonths {

  private LlmCallMonths() {}

  /** The first instant of the UTC month of {@code instant}. */
  public static Instant of(Instant instant) {
    return instant
        .atZone(ZoneOffset.UTC)
        .withDayOfMonth(1)
        .truncatedTo(ChronoUnit.DAYS)
        .toInstant();
  }

  /** The first instant of the month after {@code month}'s. */
  public static Instant next(Instant month) {
    return of(month).atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
  }
}
