package dev.bulwark.budget.budgets;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** How a budget's counters roll over: at local midnight, Monday, the 1st, or never. */
public enum PeriodKind {
  DAILY,
  WEEKLY,
  MONTHLY,
  TOTAL;

  /** The one period of a {@code total} budget starts at the epoch and never ends. */
  public static final Instant TOTAL_START = Instant.EPOCH;

  /** The start of the period that contains {@code at}, aligned to {@code zone}. */
  public Instant startOf(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    return switch (this) {
      case DAILY -> local.toLocalDate().atStartOfDay(zone).toInstant();
      case WEEKLY ->
          local
              .toLocalDate()
              .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
              .atStartOfDay(zone)
              .toInstant();
      case MONTHLY -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
      case TOTAL -> TOTAL_START;
    };
  }

  /** The end (exclusive) of the period starting at {@code start}; null for {@code total}. */
  public Instant endOf(Instant start, ZoneId zone) {
    ZonedDateTime local = start.atZone(zone);
    return switch (this) {
      case DAILY -> local.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
      case WEEKLY -> local.toLocalDate().plusWeeks(1).atStartOfDay(zone).toInstant();
      case MONTHLY -> local.toLocalDate().plusMonths(1).atStartOfDay(zone).toInstant();
      case TOTAL -> null;
    };
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static PeriodKind fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
