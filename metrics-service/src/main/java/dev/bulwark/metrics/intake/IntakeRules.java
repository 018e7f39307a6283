package dev.bulwark.metrics.intake;

import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.problem.TooLargeProblem;
import dev.bulwark.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/** The rules every batch and timestamp sent to metrics-service obeys, checked before any write. */
@ApplicationScoped
public class IntakeRules {

  private final MetricsConfig config;
  private final Clock clock;

  public IntakeRules(MetricsConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** A batch of {@code size} items is a 413 above {@code bulwark.metrics.max-batch}. */
  public void requireBatchSize(String field, int size) {
    if (size > config.maxBatch()) {
      throw new TooLargeProblem(field, size, config.maxBatch());
    }
  }

  /** A time later than now plus the allowed clock skew is a 400 naming the field. */
  public void requireNotInFuture(String field, Instant at) {
    if (at.isAfter(clock.instant().plus(config.maxClockSkew()))) {
      throw new InvalidRequestProblem(field, at + " lies in the future; send the time it happened");
    }
  }

  /** The given time, checked, or now when none was given. */
  public Instant atOrNow(String field, Instant at) {
    if (at == null) {
      return clock.instant();
    }
    requireNotInFuture(field, at);
    return at;
  }
}
