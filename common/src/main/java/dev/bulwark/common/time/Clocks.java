package dev.bulwark.common.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The one clock of every service: use cases and jobs read time from the injected {@link Clock},
 * never {@code Instant.now()}, so that a test can pin it ({@code QuarkusMock.installMockForType}).
 */
public class Clocks {

  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }
}
