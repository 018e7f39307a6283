package dev.bulwark.metrics.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The nightly deadline, a wall-clock time in a named zone. A day's run is on time when it succeeds
 * after the previous day's deadline and no later than that day's.
 */
public record Deadline(LocalTime time, ZoneId zone) {

  /** The deadline of the day {@code now} falls on, in the deadline's zone. */
  public Instant today(Instant now) {
    return on(LocalDate.ofInstant(now, zone));
  }

  /** The deadline before {@link #today}: the start of the window a run must finish in. */
  public Instant previous(Instant now) {
    return on(LocalDate.ofInstant(now, zone).minusDays(1));
  }

  /**
   * Whether today's deadline is missed: it has passed and no run succeeded in its window. Before
   * the deadline nothing is missed yet.
   */
  public boolean missed(Instant now, boolean succeededInWindow) {
    return !now.isBefore(today(now)) && !succeededInWindow;
  }

  private Instant on(LocalDate day) {
    return day.atTime(time).atZone(zone).toInstant();
  }
}
