package dev.bulwark.common.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.testing.LogLines;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsTests {

  static PostgresCluster cluster;
  static Vertx vertx;
  static Pool pool;

  SimpleMeterRegistry registry;
  MutableClock clock;
  Jobs jobs;

  @BeforeAll
  static void start() {
    cluster = PostgresCluster.start("jobs2");
    vertx = Vertx.vertx();
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(cluster.primary().host())
            .setPort(cluster.primary().port())
            .setDatabase("postgres")
            .setUser(cluster.primary().user());
    pool =
        Pool.newInstance(
            PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2))
                .connectingTo(connect)
                .using(vertx.getDelegate())
                .build());
  }

  @AfterAll
  static void stop() {
    pool.closeAndAwait();
    vertx.closeAndAwait();
    cluster.close();
  }

  @BeforeEach
  void newJobs() {
    registry = new SimpleMeterRegistry();
    clock = MutableClock.at(Instant.parse("2026-06-15T12:00:00Z"));
    jobs = jobs(Duration.ofSeconds(5));
  }

  private Jobs jobs(Duration timeout) {
    return new Jobs(new SingleReplicaJobs(pool), new OutageLog(), registry, () -> timeout, clock);
  }

  @Test
  void aFailingJobIsLoggedOnceWhenItStartsAndOnceWhenItRecoversAndEveryRunIsCounted() {
    AtomicInteger calls = new AtomicInteger();
    try (LogLines lines = LogLines.atLeast(Level.INFO)) {
      for (int tick = 0; tick < 10; tick++) {
        run(
            jobs.onEveryReplica(
                "refresh",
                () -> {
                  calls.incrementAndGet();
                  return Uni.createFrom().failure(new IOException("connection refused"));
                }));
      }
      clock.advance(Duration.ofMinutes(1));
      run(jobs.onEveryReplica("refresh", () -> Uni.createFrom().voidItem()));

      assertThat(calls).hasValue(10);
      assertThat(lines.messages())
          .filteredOn(m -> m.contains("OutageLog"))
          .hasSize(2)
          .satisfiesExactly(
              started -> assertThat(started).startsWith("WARN"),
              ended -> assertThat(ended).startsWith("INFO"));
    }
    assertThat(count("refresh", "failed")).isEqualTo(10);
    assertThat(count("refresh", "succeeded")).isEqualTo(1);
    assertThat(lastSuccess("refresh")).isEqualTo(clock.instant().getEpochSecond());
  }

  @Test
  void aJobOnOneReplicaIsSkippedWhileAnotherReplicaRunsIt() {
    Jobs other =
        new Jobs(
            new SingleReplicaJobs(pool),
            new OutageLog(),
            registry,
            // Far above the test's own length, even on a loaded machine: a run that timed out
            // would count as failed, and this test is about the skip, not the timeout.
            () -> Duration.ofMinutes(5),
            clock);
    java.util.concurrent.CompletableFuture<Void> release =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<Void> first =
        other
            .onOneReplica("prune", () -> Uni.createFrom().completionStage(release))
            .subscribeAsCompletionStage();
    // Wait until the first run holds the lock: its connection shows the advisory lock.
    awaitLockHeld();

    run(jobs.onOneReplica("prune", () -> Uni.createFrom().voidItem()));
    release.complete(null);
    first.join();

    assertThat(count("prune", "skipped")).isEqualTo(1);
    assertThat(count("prune", "succeeded")).isEqualTo(1);
  }

  @Test
  void aHungRunFailsAfterTheTimeoutSoTheNextTickCanRun() {
    Jobs impatient = jobs(Duration.ofMillis(200));

    run(impatient.onEveryReplica("hung", () -> Uni.createFrom().nothing()));

    assertThat(count("hung", "failed")).isEqualTo(1);
    assertThat(
            registry.find("bulwark.job.last.success.timestamp.seconds").tag("job", "hung").gauge())
        .isNull();
  }

  private static void run(Uni<Void> job) {
    job.await().atMost(Duration.ofSeconds(30));
  }

  private double count(String job, String outcome) {
    var counter =
        registry.find("bulwark.job.runs").tag("job", job).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private double lastSuccess(String job) {
    return registry
        .get("bulwark.job.last.success.timestamp.seconds")
        .tag("job", job)
        .gauge()
        .value();
  }

  private static void awaitLockHeld() {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      if (!"0"
          .equals(
              cluster
                  .primary()
                  .queryValue("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the first run never took its lock");
  }
}
