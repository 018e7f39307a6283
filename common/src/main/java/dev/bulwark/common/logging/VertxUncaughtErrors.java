package dev.bulwark.common.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Replaces Quarkus's handler of exceptions that reach Vert.x uncaught, to keep one known bug out of
 * the log: while the database is unreachable, vertx-sql-client's pool fails each query at once and
 * later lets its connection-timeout timer fail the same promise again
 * (eclipse-vertx/vertx-sql-client #1706), which Quarkus logged as an ERROR per failed request.
 * Those are counted in {@code bulwark_vertx_pool_timer_races_total}; every other uncaught exception
 * is logged as before.
 */
@ApplicationScoped
public class VertxUncaughtErrors {

  private static final Logger LOG = Logger.getLogger(VertxUncaughtErrors.class);

  private final Counter races;

  public VertxUncaughtErrors(MeterRegistry registry) {
    races =
        Counter.builder("bulwark.vertx.pool.timer.races")
            .description(
                "Pool timeouts that fired after their query had already failed"
                    + " (vertx-sql-client #1706); harmless, not logged")
            .register(registry);
  }

  void install(@Observes StartupEvent started, Vertx vertx) {
    vertx.exceptionHandler(this::handle);
  }

  void handle(Throwable failure) {
    if (isPoolTimerRace(failure)) {
      races.increment();
      return;
    }
    LOG.error("Uncaught exception received by Vert.x", failure);
  }

  /** The exact failure of #1706: a second completion of a promise, from the SQL pool's timer. */
  static boolean isPoolTimerRace(Throwable failure) {
    if (!(failure instanceof IllegalStateException)
        || !"Result is already complete".equals(failure.getMessage())) {
      return false;
    }
    for (StackTraceElement frame : failure.getStackTrace()) {
      if (frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.")) {
        return true;
      }
    }
    return false;
  }
}
