package dev.bulwark.backup.retention;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** The UTC calendar periods of the GFS counts, each named by the date it starts on. */
enum CalendarPeriod {
  DAY,
  /** ISO weeks: Monday to Sunday. */
  WEEK,
  MONTH;

  /** The first day of the period {@code instant} falls in. */
  LocalDate of(Instant instant) {
    LocalDate date = LocalDate.ofInstant(instant, ZoneOffset.UTC);
    return switch (this) {
      case DAY -> date;
      case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> date.withDayOfMonth(1);
    };
  }

  /** The first day of the period {@code count} periods before the one starting on {@code start}. */
  LocalDate minus(LocalDate start, int count) {
    return switch (this) {
      case DAY -> start.minusDays(count);
      case WEEK -> start.minusWeeks(count);
      case MONTH -> start.minusMonths(count);
    };
  }
}
