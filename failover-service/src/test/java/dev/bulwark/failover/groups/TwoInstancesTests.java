package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.events;
import static dev.bulwark.failover.FailoverApi.role;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.failover.store.GroupStore;
import dev.bulwark.testing.Scrapes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two failover-service instances on one store: the epoch's compare-and-swap lets one act. */
@QuarkusTest
class TwoInstancesTests {

  @InjectPipeline Pipeline pipeline;
  @Inject Engine engine;
  @Inject GroupStore store;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void twoInstancesWatchingOnePairPromoteOnce() throws Exception {
    awaitGroup("twin", "node2 standby", v -> "standby".equals(role(v, "node2")));
    SimpleMeterRegistry secondMetrics = new SimpleMeterRegistry();
    try (AutoCloseable second = engine.secondInstance("twin", secondMetrics)) {
      pipeline.member("twin", "node1").crash();

      awaitGroup("twin", "node2 promoted", v -> "node2".equals(v.getString("primary")));
      // Both instances saw the same failed checks; whichever lost the swap stood down.
      assertThat(events("twin")).filteredOn(e -> "promoted".equals(e.get("kind"))).hasSize(1);
      double promotedHere =
          Scrapes.value(
              metrics, "bulwark_failover_failovers_total", "group", "twin", "outcome", "promoted");
      double promotedThere =
          secondMetrics
              .get("bulwark.failover.failovers")
              .tag("group", "twin")
              .tag("outcome", "promoted")
              .counter()
              .count();
      assertThat(promotedHere + promotedThere).isEqualTo(1);
      assertThat(awaitGroup("twin", "settled", v -> v.getLong("epoch") == 1).getLong("epoch"))
          .isEqualTo(1);
    }
  }

  @Test
  void ofManyConcurrentDecisionsOnOneEpochExactlyOneTakesIt() throws Exception {
    String group = "cas-" + System.nanoTime();
    store.initialize(group, "node1", Optional.empty(), Instant.now()).await().indefinitely();
    int deciders = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(deciders);
    try {
      List<Future<Optional<GroupState>>> taken = new ArrayList<>();
      for (int i = 0; i < deciders; i++) {
        String candidate = "node" + (i + 2);
        taken.add(
            pool.submit(
                () -> {
                  start.await();
                  return store
                      .takeIntent(
                          group,
                          0,
                          new Intent(1, candidate, "node1", 2, Optional.of(0L), Instant.now()),
                          Instant.now())
                      .await()
                      .indefinitely();
                }));
      }
      start.countDown();
      List<GroupState> winners = new ArrayList<>();
      for (Future<Optional<GroupState>> each : taken) {
        each.get().ifPresent(winners::add);
      }
      assertThat(winners).hasSize(1);
      assertThat(winners.get(0).epoch()).isEqualTo(1);
      GroupState stored = store.find(group).await().indefinitely().orElseThrow();
      assertThat(stored.intent().map(Intent::candidate))
          .isEqualTo(winners.get(0).intent().map(Intent::candidate));
    } finally {
      pool.shutdownNow();
    }
  }
}
