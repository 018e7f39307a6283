package dev.bulwark.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it, for pinning a service's time: install it with
 * {@code QuarkusMock.installMockForType(clock, Clock.class)} in a {@code @BeforeEach}, so a test
 * never depends on the hour it runs at (UTC midnight, a daily budget's rollover).
 */
public final class MutableClock extends Clock {

  private volatile Instant now;

  private MutableClock(Instant now) {
    this.now = now;
  }

  public static MutableClock at(Instant now) {
    return new MutableClock(now);
  }

  /** Noon UTC on the day of {@code now}'s real date: far from a daily period's edges. */
  public static MutableClock todayAtNoon() {
    Instant midnight = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    return at(midnight.plus(Duration.ofHours(12)));
  }

  public void set(Instant instant) {
    now = instant;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(now, zone);
  }
}
