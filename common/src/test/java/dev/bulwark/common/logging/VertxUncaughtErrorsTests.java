package dev.bulwark.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.FreePorts;
import dev.bulwark.testing.LogLines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class VertxUncaughtErrorsTests {

  /** Reproduces eclipse-vertx/vertx-sql-client#1706 with the driver version we ship. */
  @Test
  void thePoolTimerRaceOfAnUnreachableDatabaseIsCountedNotLogged() throws Exception {
    Vertx vertx = Vertx.vertx();
    CompletableFuture<Throwable> uncaught = new CompletableFuture<>();
    vertx.exceptionHandler(uncaught::complete);
    Pool pool =
        PgBuilder.pool()
            .with(
                new PoolOptions()
                    .setMaxSize(1)
                    .setConnectionTimeout(300)
                    .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
            .connectingTo(
                new PgConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(FreePorts.next())
                    .setUser("postgres"))
            .using(vertx)
            .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    VertxUncaughtErrors errors = new VertxUncaughtErrors(registry);
    try (LogLines lines = LogLines.atLeast(Level.WARNING)) {
      CompletableFuture<?> query =
          pool.query("SELECT 1").execute().toCompletionStage().toCompletableFuture();
      assertThat(query).failsWithin(java.time.Duration.ofSeconds(10));

      Throwable race = uncaught.get(10, TimeUnit.SECONDS);
      errors.handle(race);

      assertThat(VertxUncaughtErrors.isPoolTimerRace(race)).as(race.toString()).isTrue();
      assertThat(registry.get("bulwark.vertx.pool.timer.races").counter().count()).isEqualTo(1);
      assertThat(lines.messages()).isEmpty();
    } finally {
      pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anyOtherUncaughtExceptionIsStillLogged() {
    VertxUncaughtErrors errors = new VertxUncaughtErrors(new SimpleMeterRegistry());
    try (LogLines lines = LogLines.atLeast(Level.WARNING)) {
      errors.handle(new IllegalStateException("Result is already complete"));
      errors.handle(new NullPointerException("bug"));

      assertThat(lines.messages()).hasSize(2).allMatch(m -> m.contains("Uncaught exception"));
    }
  }
}
