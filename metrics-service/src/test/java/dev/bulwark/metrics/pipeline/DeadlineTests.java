package dev.bulwark.metrics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DeadlineTests {

  Deadline fiveInBerlin = new Deadline(LocalTime.of(5, 0), ZoneId.of("Europe/Berlin"));

  @Test
  void todaysDeadlineIsTheWallClockTimeInItsZone() {
    // 23:30 UTC on 1 July is 01:30 on 2 July in Berlin (summer time, UTC+2).
    Instant now = Instant.parse("2026-07-01T23:30:00Z");
    assertThat(fiveInBerlin.today(now)).isEqualTo(Instant.parse("2026-07-02T03:00:00Z"));
    assertThat(fiveInBerlin.previous(now)).isEqualTo(Instant.parse("2026-07-01T03:00:00Z"));
  }

  @Test
  void nothingIsMissedBeforeTheDeadline() {
    Instant beforeFive = Instant.parse("2026-11-23T03:59:59Z"); // 04:59:59 in Berlin (UTC+1)
    assertThat(fiveInBerlin.missed(beforeFive, false)).isFalse();
  }

  @Test
  void afterTheDeadlineOnlyASuccessInItsWindowMeetsIt() {
    Instant afterFive = Instant.parse("2026-11-23T04:00:00Z");
    assertThat(fiveInBerlin.missed(afterFive, false)).isTrue();
    assertThat(fiveInBerlin.missed(afterFive, true)).isFalse();
  }

  @Test
  void theWindowFollowsDaylightSavingChanges() {
    // Berlin leaves summer time on 25 October 2026: that day is 25 hours long.
    Instant now = Instant.parse("2026-10-25T12:00:00Z");
    assertThat(fiveInBerlin.today(now)).isEqualTo(Instant.parse("2026-10-25T04:00:00Z"));
    assertThat(fiveInBerlin.previous(now)).isEqualTo(Instant.parse("2026-10-24T03:00:00Z"));
  }
}
