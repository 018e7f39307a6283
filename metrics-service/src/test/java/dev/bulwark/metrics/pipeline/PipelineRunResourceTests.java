package dev.bulwark.metrics.pipeline;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test profile puts the deadline at 00:00 UTC, and the clock is pinned at noon: today's
 * deadline has passed, whatever the hour the tests run at.
 */
@QuarkusTest
class PipelineRunResourceTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  MutableClock clock = MutableClock.todayAtNoon();
  Instant midnight = clock.instant().truncatedTo(ChronoUnit.DAYS);

  @BeforeEach
  void startFromNoRunsAtNoon() {
    QuarkusMock.installMockForType(clock, Clock.class);
    postgres.primary().execute("TRUNCATE metrics.pipeline_run");
  }

  @Test
  void aDayWithOnlyALateSuccessIsMissed() {
    // No run was ever reported: whether a night was missed cannot be known yet.
    awaitAsserted(
        metrics,
        "no runs, no verdict",
        s -> {
          assertThat(s.value("bulwark_pipeline_deadline_timestamp_seconds"))
              .hasValue(midnight.getEpochSecond());
          assertThat(s.has("bulwark_pipeline_deadline_missed")).isFalse();
          assertThat(s.value("bulwark_pipeline_last_success_timestamp_seconds")).isEmpty();
        });

    // A run that succeeds after the deadline is late: the day stays missed.
    String late = start(midnight.plusSeconds(60)).extract().path("id");
    finish(late, "succeeded", clock.instant()).statusCode(200);
    awaitAsserted(
        metrics,
        "late success seen, day still missed",
        s -> {
          assertThat(s.value("bulwark_pipeline_last_success_timestamp_seconds"))
              .hasValue(clock.instant().getEpochSecond());
          assertThat(s.value("bulwark_pipeline_last_run_duration_seconds"))
              .hasValue(12 * 3600 - 60);
          assertThat(s.value("bulwark_pipeline_deadline_missed")).hasValue(1);
        });
  }

  @Test
  void aRunThatSucceedsBeforeTheDeadlineMeetsIt() {
    Instant started = midnight.minusSeconds(3 * 3600);
    Instant finished = midnight.minusSeconds(600);
    String id = start(started).statusCode(201).extract().path("id");
    awaitAsserted(
        metrics,
        "run in progress, deadline not met yet",
        s -> {
          assertThat(s.value("bulwark_pipeline_runs_in_progress")).hasValue(1);
          assertThat(s.value("bulwark_pipeline_deadline_missed")).hasValue(1);
        });

    finish(id, "succeeded", finished)
        .statusCode(200)
        .body("status", equalTo("succeeded"))
        .body("counts.crawled", equalTo(1200));

    awaitAsserted(
        metrics,
        "deadline met, no run in progress",
        s -> {
          assertThat(s.value("bulwark_pipeline_deadline_missed")).hasValue(0);
          assertThat(s.value("bulwark_pipeline_runs_in_progress")).hasValue(0);
          assertThat(s.value("bulwark_pipeline_last_success_timestamp_seconds"))
              .hasValue(finished.getEpochSecond());
          assertThat(s.value("bulwark_pipeline_last_run_duration_seconds"))
              .hasValue(3 * 3600 - 600);
        });
  }

  @Test
  void aFailedRunDoesNotMeetTheDeadline() {
    String id = start(midnight.minusSeconds(7200)).extract().path("id");
    finish(id, "failed", midnight.minusSeconds(3600)).statusCode(200);
    awaitAsserted(
        metrics,
        "failed run seen, deadline missed",
        s -> {
          assertThat(s.value("bulwark_pipeline_last_run_duration_seconds")).hasValue(3600);
          assertThat(s.value("bulwark_pipeline_deadline_missed")).hasValue(1);
          assertThat(s.value("bulwark_pipeline_last_success_timestamp_seconds")).isEmpty();
        });
  }

  @Test
  void malformedIdsAndLimitsAreBadRequestsThatNameTheParameter() {
    for (String path :
        new String[] {
          "/api/v1/pipeline-runs/not-a-uuid",
          "/api/v1/pipeline-runs?limit=abc",
          "/api/v1/pipeline-runs?limit=0",
          "/api/v1/pipeline-runs?limit=501"
        }) {
      String parameter = path.contains("limit") ? "limit" : "id";
      given()
          .auth()
          .oauth2(TestJwt.token("viewer"))
          .get(path)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo(parameter));
    }
    finish("not-a-uuid", "succeeded", clock.instant())
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
  }

  @Test
  void finishingTwiceUnknownRunsAndBadTimesAreRefused() {
    String id = start(clock.instant().minusSeconds(60)).extract().path("id");
    finish(id, "succeeded", clock.instant()).statusCode(200);
    finish(id, "failed", clock.instant())
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", endsWith("/run-finished"))
        .body("detail", containsString("already finished succeeded"));
    finish(UUID.randomUUID().toString(), "succeeded", clock.instant())
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", endsWith("/run-not-found"));

    String other = start(clock.instant().minusSeconds(60)).extract().path("id");
    finish(other, "succeeded", clock.instant().minusSeconds(3600))
        .statusCode(400)
        .body("detail", containsString("before the run started"));
    finish(other, "running", clock.instant())
        .statusCode(400)
        .body("errors[0].field", equalTo("status"));
    start(clock.instant().plusSeconds(86_400)).statusCode(400);

    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .get("/api/v1/pipeline-runs/" + other)
        .then()
        .statusCode(200)
        .body("status", equalTo("running"))
        .body("finishedAt", equalTo(null));
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .get("/api/v1/pipeline-runs?limit=5")
        .then()
        .statusCode(200)
        .body("[0].id", notNullValue());
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/v1/pipeline-runs")
        .then()
        .statusCode(403);
  }

  private static ValidatableResponse start(Instant startedAt) {
    return given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(Map.of("startedAt", startedAt.toString()))
        .post("/api/v1/pipeline-runs")
        .then();
  }

  private static ValidatableResponse finish(String id, String status, Instant finishedAt) {
    return given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "status",
                status,
                "finishedAt",
                finishedAt.toString(),
                "counts",
                Map.of("crawled", 1200)))
        .post("/api/v1/pipeline-runs/" + id + "/finish")
        .then();
  }
}
