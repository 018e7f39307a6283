package dev.bulwark.failover.drills;

import static dev.bulwark.failover.DrillApi.asViewer;
import static dev.bulwark.failover.DrillApi.awaitHealthyPair;
import static dev.bulwark.failover.DrillApi.awaitSucceeded;
import static dev.bulwark.failover.DrillApi.request;
import static dev.bulwark.failover.DrillApi.start;
import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.events;
import static dev.bulwark.failover.FailoverApi.role;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.common.security.Roles;
import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.Scrapes;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drills on real primary/standby pairs: a switchover, a simulated primary loss, refusals. */
@QuarkusTest
class DrillTests {

  @InjectPipeline Pipeline pipeline;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void aSwitchoverDrillPromotesTheCaughtUpStandbyAndLosesNoAcknowledgedWrite() {
    awaitHealthyPair("drill");
    request("drill", Roles.VIEWER, "switchover").then().statusCode(403);

    JsonPath started =
        request("drill", Roles.OPERATOR, "switchover")
            .then()
            .statusCode(202)
            .header("Location", containsString("/api/v1/groups/drill/drills/"))
            .body("state", equalTo("running"))
            .body("kind", equalTo("switchover"))
            .extract()
            .jsonPath();
    long id = started.getLong("id");
    // Refused either way: 409 while the first drill runs, 422 when it already ended and the
    // group is not ready for another (a switchover can finish before this request arrives).
    request("drill", Roles.OPERATOR, "switchover")
        .then()
        .statusCode(anyOf(equalTo(409), equalTo(422)))
        .contentType("application/problem+json");

    JsonPath drill = awaitSucceeded("drill", id);
    Map<String, Object> report = drill.getMap("report");
    assertThat(report)
        .containsEntry("oldPrimary", "node1")
        .containsEntry("newPrimary", "node2")
        .containsEntry("epochBefore", 0)
        .containsEntry("epochAfter", 1)
        .containsEntry("lastAckSurvived", true)
        .containsEntry("lostWrites", 0);
    assertThat(report.get("detectionMillis")).as("a switchover detects nothing").isNull();
    assertThat(((Number) report.get("promotionMillis")).longValue()).isGreaterThanOrEqualTo(0);
    long window = ((Number) report.get("writeFailureWindowMillis")).longValue();
    assertThat(window).isGreaterThan(0).isLessThan(60_000);
    long acked = ((Number) report.get("ackedWrites")).longValue();
    assertThat(acked).isGreaterThanOrEqualTo(4);

    PostgresNode old = pipeline.member("drill", "node1");
    PostgresNode next = pipeline.member("drill", "node2");
    assertThat(next.isInRecovery()).isFalse();
    assertThat(
            Long.parseLong(
                next.queryValue("SELECT count(*) FROM bulwark_drill_probe WHERE drill = " + id)))
        .isGreaterThanOrEqualTo(acked);
    assertThat(old.queryValue("SHOW default_transaction_read_only")).isEqualTo("on");
    JsonPath group = awaitGroup("drill", "node1 fenced", v -> "fenced".equals(role(v, "node1")));
    assertThat(group.getString("primary")).isEqualTo("node2");
    assertThat(group.getLong("epoch")).isEqualTo(1);
    assertThat(events("drill").stream().filter(e -> "promoted".equals(e.get("kind"))).findFirst())
        .hasValueSatisfying(
            e -> assertThat((String) e.get("detail")).startsWith("switchover (a drill)"));

    String markdown =
        given()
            .auth()
            .oauth2(TestJwt.token(Roles.VIEWER))
            .accept("text/markdown")
            .get("/api/v1/groups/drill/drills/" + id)
            .then()
            .statusCode(200)
            .contentType(containsString("text/markdown"))
            .extract()
            .asString();
    assertThat(markdown)
        .contains("# Drill " + id + ": switchover of group `drill`")
        .contains("| writes acknowledged | " + acked + " |")
        .contains("| write-failure window | " + window + " ms |")
        .contains("| acknowledged writes lost | 0 |")
        .contains("| epoch | 0 → 1 |");
    asViewer("/api/v1/groups/drill/drills/" + id + "/report.md")
        .then()
        .statusCode(200)
        .body(equalTo(markdown));
    asViewer("/api/v1/groups/drill/drills")
        .then()
        .statusCode(200)
        .body("drills[0].id", equalTo((int) id))
        .body("drills[0].state", equalTo("succeeded"));

    Scrapes.awaitAsserted(
        metrics,
        "the drill in the metrics",
        scrape -> {
          assertThat(
                  scrape.value(
                      "bulwark_failover_drills_total",
                      "group",
                      "drill",
                      "kind",
                      "switchover",
                      "outcome",
                      "succeeded"))
              .hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_drills_total",
                      "group",
                      "drill",
                      "kind",
                      "switchover",
                      "outcome",
                      "failed"))
              .hasValue(0);
          assertThat(scrape.value("bulwark_failover_epoch", "group", "drill")).hasValue(1);
          assertThat(
                  scrape
                      .value("bulwark_failover_last_recovery_seconds", "group", "drill")
                      .orElse(-1))
              .isBetween(0.0, 60.0);
        });
  }

  @Test
  void aPrimaryLossDrillGoesThroughTheAutomaticPathWithoutKillingThePrimary() {
    awaitHealthyPair("drillloss");
    long id = start("drillloss", "primary-loss");

    JsonPath drill = awaitSucceeded("drillloss", id);
    Map<String, Object> report = drill.getMap("report");
    assertThat(report)
        .containsEntry("newPrimary", "node2")
        .containsEntry("epochAfter", 1)
        .containsEntry("lastAckSurvived", true)
        .containsEntry("lostWrites", 0);
    // Threshold 2 at 100 ms: the decision comes one period after the first failed check.
    assertThat(((Number) report.get("detectionMillis")).longValue()).isGreaterThan(0);
    // Exactly the automatic path: two failed checks, the automatic event's wording.
    Map<String, Object> promoted =
        events("drillloss").stream()
            .filter(e -> "promoted".equals(e.get("kind")))
            .findFirst()
            .orElseThrow();
    assertThat(promoted)
        .containsEntry("consecutiveFailures", 2)
        .containsEntry("oldPrimary", "node1")
        .containsEntry("epoch", 1);
    assertThat((String) promoted.get("detail")).startsWith("primary 'node1' failed 2 checks");
    PostgresNode old = pipeline.member("drillloss", "node1");
    assertThat(old.isRunning()).as("a simulated loss kills nothing").isTrue();
    assertThat(old.queryValue("SHOW default_transaction_read_only")).isEqualTo("on");
    Scrapes.awaitAsserted(
        metrics,
        "the automatic failover and the drill counted",
        scrape -> {
          assertThat(
                  scrape.value(
                      "bulwark_failover_failovers_total",
                      "group",
                      "drillloss",
                      "outcome",
                      "promoted"))
              .hasValue(1);
          assertThat(
                  scrape.value(
                      "bulwark_failover_drills_total",
                      "group",
                      "drillloss",
                      "kind",
                      "primary-loss",
                      "outcome",
                      "succeeded"))
              .hasValue(1);
        });
  }

  @Test
  void aDrillIsRefusedWhilePausedOrWhenNoStandbyQualifies() {
    awaitHealthyPair("drillrefused");
    request("nosuchgroup", Roles.OPERATOR, "switchover").then().statusCode(404);
    request("drillrefused", Roles.OPERATOR, "chaos")
        .then()
        .statusCode(400)
        .body("detail", containsString("kind"));
    asViewer("/api/v1/groups/drillrefused/drills/x")
        .then()
        .statusCode(400)
        .body("detail", containsString("id"));
    asViewer("/api/v1/groups/drillrefused/drills/424242").then().statusCode(404);

    given()
        .auth()
        .oauth2(TestJwt.token(Roles.OPERATOR))
        .post("/api/v1/groups/drillrefused/pause")
        .then()
        .statusCode(200);
    request("drillrefused", Roles.OPERATOR, "switchover")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", containsString("group-paused"));
    given()
        .auth()
        .oauth2(TestJwt.token(Roles.OPERATOR))
        .post("/api/v1/groups/drillrefused/resume")
        .then()
        .statusCode(200);

    PostgresNode primary = pipeline.member("drillrefused", "node1");
    PostgresNode standby = pipeline.member("drillrefused", "node2");
    standby.execute("SELECT pg_wal_replay_pause()");
    primary.execute(
        "CREATE TABLE filler AS SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 4000) g");
    awaitGroup(
        "drillrefused",
        "node2 lags over 1 MiB",
        v -> {
          Object lag = v.get("members.find { it.name == 'node2' }.lagBytes");
          return lag != null && ((Number) lag).longValue() > 1_048_576;
        });
    request("drillrefused", Roles.OPERATOR, "primary-loss")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", containsString("no-qualified-standby"))
        .body("detail", containsString("'node2' lags"))
        .body("detail", containsString("over maximum-lag-on-failover 1048576"));

    // The group's last state: its only standby down (no restart, so no wait for one).
    standby.stop();
    awaitGroup(
        "drillrefused",
        "node2 down",
        v -> Boolean.FALSE.equals(v.getBoolean("members.find { it.name == 'node2' }.up")));
    request("drillrefused", Roles.OPERATOR, "switchover")
        .then()
        .statusCode(422)
        .body("type", containsString("no-qualified-standby"))
        .body("detail", containsString("'node2' is down"));
    asViewer("/api/v1/groups/drillrefused/drills")
        .then()
        .statusCode(200)
        .body("drills.size()", equalTo(0));
  }
}
