package dev.bulwark.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each way the real driver reports a lost or unusable server must read as unavailable (503). */
class DatabaseFailuresTests {

  static PostgresCluster cluster;
  static Vertx vertx;
  Pool pool;

  @BeforeAll
  static void start() {
    cluster = PostgresCluster.start("failures");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.closeAndAwait();
    cluster.close();
  }

  @BeforeEach
  void connect() {
    if (!cluster.primary().isRunning()) {
      cluster.primary().start();
    }
    pool = pool(cluster.primary(), cluster.primary().port());
  }

  @AfterEach
  void close() {
    pool.closeAndAwait();
  }

  @Test
  void aServerKilledMidQueryIsUnavailable() throws Exception {
    CompletableFuture<?> running =
        pool.query("SELECT pg_sleep(30)").execute().subscribeAsCompletionStage();
    awaitQueryRunning();

    cluster.primary().crash();

    Throwable failure = failureOf(running);
    assertThat(DatabaseFailures.isUnavailable(failure)).as(failure.toString()).isTrue();
  }

  @Test
  void aTerminatedSessionIsUnavailable() throws Exception {
    CompletableFuture<?> running =
        pool.query("SELECT pg_sleep(30)").execute().subscribeAsCompletionStage();
    awaitQueryRunning();

    cluster
        .primary()
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'");

    Throwable failure = failureOf(running);
    assertThat(DatabaseFailures.isUnavailable(failure)).as(failure.toString()).isTrue();
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws Exception {
    cluster.primary().stop();

    Throwable failure = failureOf(pool.query("SELECT 1").execute().subscribeAsCompletionStage());

    assertThat(DatabaseFailures.isUnavailable(failure)).as(failure.toString()).isTrue();
  }

  @Test
  void anUnresolvableHostIsUnavailable() throws Exception {
    Pool nowhere =
        Pool.newInstance(
            PgBuilder.pool()
                .connectingTo(
                    new PgConnectOptions()
                        .setHost("no-such-host.invalid")
                        .setPort(5432)
                        .setUser("postgres"))
                .using(vertx.getDelegate())
                .build());
    try {
      Throwable failure =
          failureOf(nowhere.query("SELECT 1").execute().subscribeAsCompletionStage());
      assertThat(DatabaseFailures.isUnavailable(failure)).as(failure.toString()).isTrue();
    } finally {
      nowhere.closeAndAwait();
    }
  }

  @Test
  void aBugInTheSqlIsNotUnavailable() throws Exception {
    Throwable failure =
        failureOf(pool.query("SELECT * FROM no_such_table").execute().subscribeAsCompletionStage());

    assertThat(DatabaseFailures.isUnavailable(failure)).isFalse();
    assertThat(DatabaseFailures.sqlState(failure)).contains("42P01");
    assertThat(DatabaseFailures.isRetryable(failure)).isFalse();
  }

  @Test
  void aDeadlockIsRetryable() throws Exception {
    Throwable failure =
        failureOf(
            pool.query(
                    "DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = 'deadlock_detected';"
                        + " END $$")
                .execute()
                .subscribeAsCompletionStage());

    assertThat(DatabaseFailures.isRetryable(failure)).isTrue();
    assertThat(DatabaseFailures.isUnavailable(failure)).isFalse();
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the query succeeded");
  }

  private static void awaitQueryRunning() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      String n =
          cluster
              .primary()
              .queryValue(
                  "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                      + " AND state = 'active'");
      if (!"0".equals(n)) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the query never started");
  }

  private static Pool pool(PostgresNode node, int port) {
    return Pool.newInstance(
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2))
            .connectingTo(
                new PgConnectOptions()
                    .setHost(node.host())
                    .setPort(port)
                    .setDatabase("postgres")
                    .setUser(node.user()))
            .using(vertx.getDelegate())
            .build());
  }
}
