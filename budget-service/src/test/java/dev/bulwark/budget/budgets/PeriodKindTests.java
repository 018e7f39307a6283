package dev.bulwark.budget.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PeriodKindTests {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void dailyStartsAtLocalMidnight() {
    Instant at = Instant.parse("2026-11-23T22:30:00Z"); // 23:30 in Berlin

    assertThat(PeriodKind.DAILY.startOf(at, BERLIN))
        .isEqualTo(Instant.parse("2026-11-22T23:00:00Z"));
    assertThat(PeriodKind.DAILY.startOf(at, ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
  }

  @Test
  void dayOfADaylightSavingChangeHas23Hours() {
    Instant start = PeriodKind.DAILY.startOf(Instant.parse("2026-03-29T12:00:00Z"), BERLIN);

    assertThat(PeriodKind.DAILY.endOf(start, BERLIN)).isEqualTo(start.plusSeconds(23 * 3600));
  }

  @Test
  void weeklyStartsOnMondayAndMonthlyOnTheFirst() {
    Instant sunday = Instant.parse("2026-11-29T12:00:00Z");

    assertThat(PeriodKind.WEEKLY.startOf(sunday, ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
    assertThat(PeriodKind.MONTHLY.startOf(sunday, ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(PeriodKind.MONTHLY.endOf(Instant.parse("2026-12-01T00:00:00Z"), ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void totalNeverRollsOver() {
    assertThat(PeriodKind.TOTAL.startOf(Instant.now(), BERLIN)).isEqualTo(Instant.EPOCH);
    assertThat(PeriodKind.TOTAL.endOf(Instant.EPOCH, BERLIN)).isNull();
  }
}
