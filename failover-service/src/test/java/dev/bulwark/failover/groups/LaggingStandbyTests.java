package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.events;
import static dev.bulwark.failover.FailoverApi.role;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** maximum-lag-on-failover (1 MiB here): a standby that would lose or replay too much waits. */
@QuarkusTest
class LaggingStandbyTests {

  private static final long LIMIT = 1_048_576;

  @InjectPipeline Pipeline pipeline;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  private static long lag(JsonPath view, String member) {
    Object lag = view.get("members.find { it.name == '" + member + "' }.lagBytes");
    return lag == null ? -1 : ((Number) lag).longValue();
  }

  @Test
  void aStandbyLaggingBeyondTheLimitIsNotPromotedUntilItCatchesUp() {
    PostgresNode primary = pipeline.member("lagging", "node1");
    PostgresNode standby = pipeline.member("lagging", "node2");
    awaitGroup("lagging", "node2 standby", v -> "standby".equals(role(v, "node2")));
    standby.execute("SELECT pg_wal_replay_pause()");
    // About 4 MB of WAL that the standby receives but does not replay.
    primary.execute(
        "CREATE TABLE filler AS SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 4000) g");
    awaitGroup("lagging", "node2 lags beyond the limit", v -> lag(v, "node2") > LIMIT);
    Scrapes.awaitAsserted(
        metrics,
        "the lag in the metrics",
        scrape ->
            assertThat(
                    scrape
                        .value(
                            "bulwark_failover_member_replication_lag_bytes",
                            "group",
                            "lagging",
                            "member",
                            "node2")
                        .orElse(0))
                .isGreaterThan(LIMIT));

    primary.crash();

    JsonPath refused =
        awaitGroup("lagging", "refused", v -> "no-qualified-standby".equals(v.getString("state")));
    assertThat(refused.getString("primary")).isEqualTo("node1");
    assertThat(refused.getLong("epoch")).isZero();
    Map<String, Object> event = events("lagging").get(0);
    assertThat(event)
        .containsEntry("kind", "refused-lag")
        .containsEntry("oldPrimary", "node1")
        .containsEntry("newPrimary", "node2")
        .containsEntry("consecutiveFailures", 2)
        .containsEntry("epoch", 0);
    assertThat(((Number) event.get("lagBytes")).longValue()).isGreaterThan(LIMIT);
    assertThat(standby.isInRecovery()).isTrue();
    Scrapes.awaitAsserted(
        metrics,
        "the refusal counted once",
        scrape -> {
          assertThat(
                  scrape.value(
                      "bulwark_failover_failovers_total",
                      "group",
                      "lagging",
                      "outcome",
                      "refused-lag"))
              .hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_failovers_total",
                      "group",
                      "lagging",
                      "outcome",
                      "promoted"))
              .hasValue(0);
        });
    assertThat(events("lagging")).filteredOn(e -> "refused-lag".equals(e.get("kind"))).hasSize(1);

    // Once it has replayed what it received, it is within the limit and is promoted.
    standby.execute("SELECT pg_wal_replay_resume()");

    JsonPath promoted =
        awaitGroup("lagging", "node2 promoted", v -> "node2".equals(v.getString("primary")));
    assertThat(promoted.getLong("epoch")).isEqualTo(1);
    assertThat(standby.queryValue("SELECT count(*) FROM filler")).isEqualTo("4000");
  }
}
