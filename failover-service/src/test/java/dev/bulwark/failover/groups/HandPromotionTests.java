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
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PITR fault run's case: failover-service down, the primary killed, the standby promoted by
 * hand ({@code pg_ctl promote}); when the service is back, the promoted member (the only primary,
 * on a newer timeline) is adopted as the group's primary, and the old one is fenced when it
 * returns.
 */
@QuarkusTest
class HandPromotionTests {

  @InjectPipeline Pipeline pipeline;
  @Inject Engine engine;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void aStandbyPromotedByHandWhileTheServiceWasDownIsAdoptedAndTheOldPrimaryFenced()
      throws Exception {
    PostgresNode old = pipeline.member("byhand", "node1");
    PostgresNode standby = pipeline.member("byhand", "node2");
    awaitPair("byhand");
    OrdersTable.replicated(old, standby);

    try (AutoCloseable down = engine.downUntilClosed("byhand")) {
      old.crash();
      standby.promote(); // pg_ctl promote, by an operator
      standby.execute("INSERT INTO orders VALUES (2)");
    } // failover-service is back: a fresh monitor that knows only what its store holds

    JsonPath adopted =
        awaitGroup("byhand", "node2 adopted", v -> "node2".equals(v.getString("primary")));
    assertThat(adopted.getLong("epoch")).isEqualTo(1);
    assertThat(role(adopted, "node2")).isEqualTo("primary");
    assertThat(timeline(adopted, "node2")).isEqualTo(2);
    assertThat(standby.queryValue("SHOW default_transaction_read_only"))
        .as("the adopted primary is not fenced")
        .isEqualTo("off");
    standby.execute("INSERT INTO orders VALUES (3)");
    assertThat(events("byhand"))
        .noneMatch(e -> "fenced".equals(e.get("kind")) && "node2".equals(e.get("oldPrimary")))
        .filteredOn(e -> "adopted".equals(e.get("kind")))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e)
                    .containsEntry("epoch", 1)
                    .containsEntry("oldPrimary", "node1")
                    .containsEntry("newPrimary", "node2"));
    given().get("/api/v1/groups/byhand/members/node2/primary").then().statusCode(200);
    Scrapes.awaitAsserted(
        metrics,
        "the adoption in the metrics, not as a failover",
        scrape -> {
          assertThat(scrape.value("bulwark_failover_adoptions_total", "group", "byhand"))
              .hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_failovers_total", "group", "byhand", "outcome", "promoted"))
              .hasValue(0);
          assertThat(scrape.value("bulwark_failover_epoch", "group", "byhand")).hasValue(1);
        });

    // The old primary comes back out of recovery on timeline 1: a second primary, never adopted.
    old.start();

    await("the returning old primary is fenced")
        .atMost(Duration.ofSeconds(30))
        // Fencing ends every client session, a poll's own included.
        .ignoreExceptions()
        .until(() -> "on".equals(old.queryValue("SHOW default_transaction_read_only")));
    assertThatThrownBy(() -> old.execute("INSERT INTO orders VALUES (4)"))
        .hasMessageContaining("read-only transaction");
    JsonPath after =
        awaitGroup(
            "byhand",
            "node1 up and fenced",
            v ->
                "fenced".equals(role(v, "node1"))
                    && Boolean.TRUE.equals(v.getBoolean("members.find { it.name == 'node1' }.up")));
    assertThat(after.getString("primary")).isEqualTo("node2");
    assertThat(after.getLong("epoch")).isEqualTo(1);
    List<Map<String, Object>> fenced =
        events("byhand").stream().filter(e -> "fenced".equals(e.get("kind"))).toList();
    assertThat(fenced)
        .singleElement()
        .satisfies(e -> assertThat(e).containsEntry("oldPrimary", "node1"));
    given().get("/api/v1/groups/byhand/members/node1/primary").then().statusCode(503);
    assertThat(standby.queryValue("SELECT count(*) FROM orders")).isEqualTo("3");
  }

  @Test
  void ofTwoPrimariesFoundAfterARestartTheOneOnTheHigherTimelineWins() throws Exception {
    PostgresNode old = pipeline.member("byhandboth", "node1");
    PostgresNode standby = pipeline.member("byhandboth", "node2");
    awaitPair("byhandboth");

    try (AutoCloseable down = engine.downUntilClosed("byhandboth")) {
      old.crash();
      standby.promote();
      // The old primary is back before failover-service: two members take writes.
      old.start();
      assertThat(old.isInRecovery()).isFalse();
    }

    JsonPath after =
        awaitGroup(
            "byhandboth",
            "node2 adopted, node1 fenced",
            v -> "node2".equals(v.getString("primary")) && "fenced".equals(role(v, "node1")));
    assertThat(after.getLong("epoch")).isEqualTo(1);
    assertThat(timeline(after, "node1")).isEqualTo(1);
    assertThat(timeline(after, "node2")).isEqualTo(2);
    await("node1 read-only")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> "on".equals(old.queryValue("SHOW default_transaction_read_only")));
    assertThat(standby.queryValue("SHOW default_transaction_read_only")).isEqualTo("off");
    assertThat(events("byhandboth"))
        .extracting(e -> e.get("kind") + " " + e.get("oldPrimary") + "->" + e.get("newPrimary"))
        .containsExactly("fenced node1->node2", "adopted node1->node2");
  }

  private static Integer timeline(JsonPath view, String member) {
    return view.get("members.find { it.name == '" + member + "' }.timeline");
  }
}
