package dev.bulwark.failover.checks;

import java.time.Duration;
import java.util.Optional;

/** The result of one member check: up or not (with why), and what a postgres check read. */
public record CheckResult(
    boolean up, Optional<String> error, Optional<PostgresFacts> postgres, Duration latency) {

  public static CheckResult up(Duration latency) {
    return new CheckResult(true, Optional.empty(), Optional.empty(), latency);
  }

  public static CheckResult up(PostgresFacts facts, Duration latency) {
    return new CheckResult(true, Optional.empty(), Optional.of(facts), latency);
  }

  public static CheckResult down(String error, Duration latency) {
    return new CheckResult(false, Optional.of(error), Optional.empty(), latency);
  }
}
