package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.awaitPair;
import static dev.bulwark.failover.FailoverApi.events;
import static dev.bulwark.failover.FailoverApi.role;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A primary lost to kill -9 (postmaster and backends) on a real primary/standby pair. */
@QuarkusTest
class CrashFailoverTests {

  @InjectPipeline Pipeline pipeline;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void promotesTheStandbyAfterExactlyTwoFailedChecksAndFencesTheOldPrimaryWhenItReturns() {
    PostgresNode old = pipeline.member("crash", "node1");
    PostgresNode standby = pipeline.member("crash", "node2");
    awaitPair("crash");
    OrdersTable.replicated(old, standby);

    old.crash();

    JsonPath after =
        awaitGroup("crash", "node2 promoted", v -> "node2".equals(v.getString("primary")));
    assertThat(after.getLong("epoch")).isEqualTo(1);
    assertThat(after.getString("state")).isEqualTo("healthy");
    assertThat(after.getString("lastFailoverAt")).isNotBlank();
    assertThat(role(after, "node2")).isEqualTo("primary");
    assertThat(role(after, "node1"))
        .as("an old primary is never primary again")
        .isEqualTo("fenced");
    Map<String, Object> promoted = events("crash").get(0);
    assertThat(promoted)
        .containsEntry("kind", "promoted")
        .containsEntry("epoch", 1)
        .containsEntry("oldPrimary", "node1")
        .containsEntry("newPrimary", "node2")
        .containsEntry("consecutiveFailures", 2);
    assertThat(standby.isInRecovery()).isFalse();
    standby.execute("INSERT INTO orders VALUES (2)");
    assertThat(standby.queryValue("SELECT count(*) FROM orders")).isEqualTo("2");
    given().get("/api/v1/groups/crash/members/node2/primary").then().statusCode(200);
    given().get("/api/v1/groups/crash/members/node1/primary").then().statusCode(503);

    Scrapes.awaitAsserted(
        metrics,
        "the failover in the metrics",
        scrape -> {
          assertThat(scrape.value("bulwark_failover_epoch", "group", "crash")).hasValue(1);
          // Without Kubernetes every replica leads (the store's compare-and-swap decides).
          assertThat(scrape.value("bulwark_failover_leader", "group", "crash")).hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_failovers_total", "group", "crash", "outcome", "promoted"))
              .hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_failovers_total", "group", "crash", "outcome", "failed"))
              .hasValue(0);
          assertThat(
                  scrape.value(
                      "bulwark_failover_member_role",
                      "group",
                      "crash",
                      "member",
                      "node2",
                      "role",
                      "primary"))
              .hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_member_role",
                      "group",
                      "crash",
                      "member",
                      "node1",
                      "role",
                      "fenced"))
              .hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_member_role",
                      "group",
                      "crash",
                      "member",
                      "node1",
                      "role",
                      "primary"))
              .hasValue(0);
          assertThat(
                  scrape.value("bulwark_failover_member_up", "group", "crash", "member", "node1"))
              .hasValue(0);
          assertThat(
                  scrape.value("bulwark_failover_member_up", "group", "crash", "member", "node2"))
              .hasValue(1);
          assertThat(
                  scrape
                      .value(
                          "bulwark_failover_member_consecutive_failures",
                          "group",
                          "crash",
                          "member",
                          "node1")
                      .orElse(0))
              .isGreaterThanOrEqualTo(2);
          // From the first failed check to the promotion: two 100 ms periods and pg_promote.
          assertThat(
                  scrape
                      .value("bulwark_failover_last_recovery_seconds", "group", "crash")
                      .orElse(-1))
              .isBetween(0.05, 10.0);
          assertThat(scrape.value("bulwark_failover_store_up")).hasValue(1);
        });

    old.start();

    await("the returning old primary is fenced")
        .atMost(Duration.ofSeconds(30))
        // Fencing ends every client session, a poll's own included.
        .ignoreExceptions()
        .until(() -> "on".equals(old.queryValue("SHOW default_transaction_read_only")));
    assertThatThrownBy(() -> old.execute("INSERT INTO orders VALUES (3)"))
        .hasMessageContaining("read-only transaction");
    List<Map<String, Object>> events = events("crash");
    assertThat(events.get(0))
        .containsEntry("kind", "fenced")
        .containsEntry("oldPrimary", "node1")
        .containsEntry("epoch", 1);
    JsonPath fenced =
        awaitGroup(
            "crash",
            "node1 up and fenced",
            v ->
                "fenced".equals(role(v, "node1"))
                    && Boolean.TRUE.equals(v.getBoolean("members.find { it.name == 'node1' }.up")));
    assertThat(fenced.getString("primary")).isEqualTo("node2");
    given().get("/api/v1/groups/crash/members/node1/primary").then().statusCode(503);
    given().get("/api/v1/groups/crash/members/node1/standby").then().statusCode(503);
  }
}
