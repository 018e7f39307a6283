package dev.bulwark.common.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SingleReplicaJobsTests {

  static PostgresCluster cluster;
  static Vertx vertx;
  static Pool poolA;
  static Pool poolB;

  @BeforeAll
  static void start() {
    cluster = PostgresCluster.start("jobs");
    vertx = Vertx.vertx();
    poolA = pool(cluster.primary());
    poolB = pool(cluster.primary());
  }

  @AfterAll
  static void stop() {
    poolA.closeAndAwait();
    poolB.closeAndAwait();
    vertx.closeAndAwait();
    cluster.close();
  }

  @Test
  void twoReplicasRaceAndExactlyOneRuns() throws Exception {
    SingleReplicaJobs replicaA = new SingleReplicaJobs(poolA);
    SingleReplicaJobs replicaB = new SingleReplicaJobs(poolB);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Void> finishRun = new CompletableFuture<>();
    // The job holds the lock until the test lets it finish, so the two attempts truly overlap.
    java.util.function.Supplier<Uni<?>> job =
        () -> {
          runs.incrementAndGet();
          return Uni.createFrom().completionStage(finishRun);
        };

    CompletableFuture<Boolean> a =
        replicaA.runExclusively("expire-holds", job).subscribeAsCompletionStage();
    CompletableFuture<Boolean> b =
        replicaB.runExclusively("expire-holds", job).subscribeAsCompletionStage();
    Boolean loser = (Boolean) CompletableFuture.anyOf(a, b).get(30, TimeUnit.SECONDS);
    finishRun.complete(null);

    assertThat(loser).isFalse();
    assertThat(List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder(true, false);
    assertThat(runs).hasValue(1);
  }

  @Test
  void lockIsReleasedAfterARunSoTheNextTickRuns() {
    SingleReplicaJobs replicaA = new SingleReplicaJobs(poolA);
    SingleReplicaJobs replicaB = new SingleReplicaJobs(poolB);

    Boolean first =
        replicaA
            .runExclusively("rollup", () -> Uni.createFrom().voidItem())
            .await()
            .atMost(Duration.ofSeconds(10));
    Boolean second =
        replicaB
            .runExclusively("rollup", () -> Uni.createFrom().voidItem())
            .await()
            .atMost(Duration.ofSeconds(10));

    assertThat(first).isTrue();
    assertThat(second).isTrue();
  }

  @Test
  void lockIsReleasedWhenTheJobFails() {
    SingleReplicaJobs replica = new SingleReplicaJobs(poolA);
    Uni<Boolean> failing =
        replica.runExclusively(
            "flaky", () -> Uni.createFrom().failure(new IllegalStateException("boom")));

    assertThat(failing.onFailure().recoverWithItem(false).await().atMost(Duration.ofSeconds(10)))
        .isFalse();
    Boolean next =
        new SingleReplicaJobs(poolB)
            .runExclusively("flaky", () -> Uni.createFrom().voidItem())
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(next).isTrue();
  }

  @Test
  void differentJobsDoNotBlockEachOther() {
    assertThat(SingleReplicaJobs.lockKey("a")).isNotEqualTo(SingleReplicaJobs.lockKey("b"));
    assertThat(SingleReplicaJobs.lockKey("a")).isEqualTo(SingleReplicaJobs.lockKey("a"));
  }

  private static Pool pool(PostgresNode node) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(node.host())
            .setPort(node.port())
            .setDatabase("postgres")
            .setUser(node.user());
    io.vertx.sqlclient.Pool delegate =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2))
            .connectingTo(connect)
            .using(vertx.getDelegate())
            .build();
    return Pool.newInstance(delegate);
  }
}
