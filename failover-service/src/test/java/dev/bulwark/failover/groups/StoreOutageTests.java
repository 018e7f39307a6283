package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.role;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Without its own store the service has no epoch to act on: it checks, reports, and waits. */
@QuarkusTest
class StoreOutageTests {

  @InjectPipeline Pipeline pipeline;
  @InjectPostgres PostgresCluster ownStore;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  private static int failures(JsonPath view, String member) {
    return view.getInt("members.find { it.name == '" + member + "' }.consecutiveFailures");
  }

  @Test
  void withoutItsStoreItPromotesNothingIsNotReadyAndRecoversWithoutRestart() {
    PostgresNode standby = pipeline.member("store", "node2");
    awaitGroup("store", "node2 standby", v -> "standby".equals(role(v, "node2")));

    ownStore.primary().crash();
    try {
      Scrapes.awaitAsserted(
          metrics,
          "store down",
          scrape -> assertThat(scrape.value("bulwark_failover_store_up")).hasValue(0));
      await("readiness down")
          .atMost(Duration.ofSeconds(30))
          .until(() -> given().get(ready).statusCode() == 503);
      given()
          .get(ready)
          .then()
          .body(
              "checks.find { it.name == 'database' }.status",
              org.hamcrest.Matchers.equalTo("DOWN"));

      pipeline.member("store", "node1").crash();

      // Members are still checked: node1 fails far beyond the threshold of 2, yet nothing moves.
      JsonPath waiting =
          awaitGroup("store", "node1 failed 10 checks", v -> failures(v, "node1") >= 10);
      assertThat(waiting.getString("primary")).isEqualTo("node1");
      assertThat(waiting.getLong("epoch")).isZero();
      assertThat(standby.isInRecovery()).isTrue();
    } finally {
      ownStore.primary().start();
    }

    JsonPath after =
        awaitGroup(
            "store",
            "node2 promoted once the store answers",
            v -> "node2".equals(v.getString("primary")));
    assertThat(after.getLong("epoch")).isEqualTo(1);
    Scrapes.awaitAsserted(
        metrics,
        "store up",
        scrape -> assertThat(scrape.value("bulwark_failover_store_up")).hasValue(1));
    await("ready again")
        .atMost(Duration.ofSeconds(10))
        .until(() -> given().get(ready).statusCode() == 200);
  }
}
