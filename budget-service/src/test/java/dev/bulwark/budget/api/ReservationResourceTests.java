package dev.bulwark.budget.api;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReservationResourceTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  /** The service's clock, pinned at noon so that no daily period rolls over during a test. */
  private MutableClock clock;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  @Test
  void grantedReservationIsHeldThenCommittedIntoTheLedger() {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "10");

    String id =
        reserve(
                key(),
                Map.of(
                    "category",
                    category,
                    "team",
                    "enrichment",
                    "operation",
                    "summarise",
                    "estimateUsd",
                    2))
            .then()
            .statusCode(200)
            .header("Idempotent-Replayed", "false")
            .body("granted", equalTo(true))
            .body("status", equalTo("held"))
            .body("budgets.find { it.name == '" + category + "' }.heldUsd", equalTo(2.0f))
            .body("budgets.find { it.name == '" + category + "' }.remainingUsd", equalTo(8.0f))
            .extract()
            .path("reservationId");
    as("viewer").get("/api/v1/budgets/" + budget).then().body("current.heldUsd", equalTo(2.0f));

    as("pipeline")
        .body(Map.of("actualUsd", 1.5))
        .post("/api/v1/reservations/" + id + "/commit")
        .then()
        .statusCode(200)
        .body("status", equalTo("committed"))
        .body("actualUsd", equalTo(1.5f))
        .body("overrunUsd", equalTo(0.0f));

    as("viewer")
        .get("/api/v1/budgets/" + budget)
        .then()
        .body("current.heldUsd", equalTo(0.0f))
        .body("current.spentUsd", equalTo(1.5f))
        .body("current.remainingUsd", equalTo(8.5f));
    // The ledger is summed over [from, to) with to = now: a commit counts once time moved on.
    clock.advance(Duration.ofSeconds(1));
    as("viewer")
        .get("/api/v1/spend?groupBy=category,team&category=" + category)
        .then()
        .statusCode(200)
        .body("totalUsd", equalTo(1.5f))
        .body("groups[0].group.team", equalTo("enrichment"))
        .body("groups[0].entries", equalTo(1));
    as("viewer")
        .get("/api/v1/spend?groupBy=budget,day&budgetId=" + budget)
        .then()
        .statusCode(200)
        .body("groups[0].group.budget", equalTo(budget))
        .body(
            "groups[0].group.day",
            equalTo(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString()));
  }

  @Test
  void deniedWhenTheEstimateDoesNotFitAndSaysWhichBudget() {
    String category = uniqueCategory();
    createBudget(category, Map.of("category", category), "total", "5");

    reserve(key(), Map.of("category", category, "estimateUsd", 5))
        .then()
        .body("granted", equalTo(true));
    reserve(
            key(),
            Map.of("category", category, "estimateUsd", new java.math.BigDecimal("0.000001")))
        .then()
        .statusCode(200)
        .body("granted", equalTo(false))
        .body("status", equalTo("denied"))
        .body("deniedBy.name", equalTo(category))
        .body("deniedBy.remainingUsd", equalTo(0.0f));
  }

  @Test
  void overrunIsRecordedAndCounted() {
    PrometheusText before = Scrapes.scrape(metrics);
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "monthly", "10");
    String id =
        reserve(key(), Map.of("category", category, "estimateUsd", 1))
            .then()
            .extract()
            .path("reservationId");

    as("pipeline")
        .body(Map.of("actualUsd", 3.25))
        .post("/api/v1/reservations/" + id + "/commit")
        .then()
        .statusCode(200)
        .body("overrunUsd", equalTo(2.25f));

    as("viewer")
        .get("/api/v1/budgets/" + budget)
        .then()
        .body("current.spentUsd", equalTo(3.25f))
        .body("current.overrunUsd", equalTo(2.25f))
        .body("current.overruns", equalTo(1));
    PrometheusText after = Scrapes.scrape(metrics);
    assertThat(after.value("bulwark_budget_overruns_total"))
        .hasValue(before.value("bulwark_budget_overruns_total").orElse(0) + 1);
    assertThat(after.value("bulwark_budget_overrun_usd_total").getAsDouble())
        .isCloseTo(
            before.value("bulwark_budget_overrun_usd_total").orElse(0) + 2.25,
            org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void softLimitCrossingIsReported() {
    String category = uniqueCategory();
    createBudget(category, Map.of("category", category), "daily", "10");

    reserve(key(), Map.of("category", category, "estimateUsd", 7))
        .then()
        .body("softLimitCrossed", equalTo(false));
    reserve(key(), Map.of("category", category, "estimateUsd", 1))
        .then()
        .body("granted", equalTo(true))
        .body("softLimitCrossed", equalTo(true));
  }

  @Test
  void observeModeRecordsButNeverDenies() {
    String category = uniqueCategory();
    as("operator")
        .body(
            Map.of(
                "name",
                category,
                "scope",
                Map.of("category", category),
                "period",
                "daily",
                "limitUsd",
                1,
                "mode",
                "observe"))
        .post("/api/v1/budgets")
        .then()
        .statusCode(201);

    reserve(key(), Map.of("category", category, "estimateUsd", 5))
        .then()
        .body("granted", equalTo(true))
        .body("budgets.find { it.name == '" + category + "' }.remainingUsd", equalTo(-4.0f));
  }

  @Test
  void replayReturnsTheFirstAnswerAndADifferentBodyIsAConflict() {
    String category = uniqueCategory();
    String key = key();
    Map<String, Object> body = Map.of("category", category, "estimateUsd", 1);
    String first = reserve(key, body).then().statusCode(200).extract().path("reservationId");

    reserve(key, body)
        .then()
        .statusCode(200)
        .header("Idempotent-Replayed", "true")
        .body("reservationId", equalTo(first));
    reserve(key, Map.of("category", category, "estimateUsd", 2))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", containsString("idempotency-key-reused"));
  }

  @Test
  void settledReservationsRefuseTheOtherSettlement() {
    String category = uniqueCategory();
    String released =
        reserve(key(), Map.of("category", category, "estimateUsd", 1))
            .then()
            .extract()
            .path("reservationId");
    String committed =
        reserve(key(), Map.of("category", category, "estimateUsd", 1))
            .then()
            .extract()
            .path("reservationId");
    as("pipeline")
        .post("/api/v1/reservations/" + released + "/release")
        .then()
        .statusCode(200)
        .body("status", equalTo("released"));
    as("pipeline")
        .body(Map.of("actualUsd", 1))
        .post("/api/v1/reservations/" + committed + "/commit")
        .then()
        .statusCode(200);

    as("pipeline")
        .body(Map.of("actualUsd", 1))
        .post("/api/v1/reservations/" + released + "/commit")
        .then()
        .statusCode(409)
        .body("type", containsString("reservation-released"));
    as("pipeline")
        .post("/api/v1/reservations/" + committed + "/release")
        .then()
        .statusCode(409)
        .body("type", containsString("reservation-committed"));
    as("pipeline").post("/api/v1/reservations/" + released + "/release").then().statusCode(200);
    as("pipeline")
        .body(Map.of("actualUsd", 1))
        .post("/api/v1/reservations/" + committed + "/commit")
        .then()
        .statusCode(200);
    as("pipeline")
        .body(Map.of("actualUsd", 2))
        .post("/api/v1/reservations/" + committed + "/commit")
        .then()
        .statusCode(409);
    clock.advance(Duration.ofSeconds(1));
    as("viewer")
        .get("/api/v1/spend?category=" + category)
        .then()
        .body("groups[0].entries", equalTo(1));
  }

  @Test
  void expiredHoldIsReleasedByTheJobAndRecordsNoSpend() {
    PrometheusText before = Scrapes.scrape(metrics);
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "10");
    String id =
        reserve(key(), Map.of("category", category, "estimateUsd", 4, "ttlSeconds", 1))
            .then()
            .extract()
            .path("reservationId");
    as("viewer").get("/api/v1/budgets/" + budget).then().body("current.heldUsd", equalTo(4.0f));

    clock.advance(Duration.ofSeconds(2));
    String status =
        await("the expiry job releases the hold")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    as("viewer")
                        .get("/api/v1/reservations/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .<String>path("status"),
                "expired"::equals);

    assertThat(status).isEqualTo("expired");
    Scrapes.awaitAsserted(
        metrics,
        "the expiry counted and its job's run recorded",
        scrape -> {
          assertThat(scrape.value("bulwark_budget_expired_holds_total").orElse(0))
              .isGreaterThanOrEqualTo(
                  before.value("bulwark_budget_expired_holds_total").orElse(0) + 1);
          assertThat(
                  scrape
                      .value(
                          "bulwark_job_runs_total",
                          "job",
                          "budget-expire-holds",
                          "outcome",
                          "succeeded")
                      .orElse(0))
              .isGreaterThan(
                  before
                      .value(
                          "bulwark_job_runs_total",
                          "job",
                          "budget-expire-holds",
                          "outcome",
                          "succeeded")
                      .orElse(0));
        });
    as("viewer").get("/api/v1/budgets/" + budget).then().body("current.heldUsd", equalTo(0.0f));
    // Expiry records nothing; a commit that still comes is recorded late (LateCommitTests).
    as("viewer")
        .get("/api/v1/spend?category=" + category)
        .then()
        .body("groups", org.hamcrest.Matchers.empty());
  }

  @Test
  void badInputIsRejectedAndNothingIsWritten() {
    String category = uniqueCategory();
    reserve(key(), Map.of("category", category, "estimateUsd", 0))
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("estimateUsd"));
    reserve(key(), Map.of("category", category, "estimateUsd", -1)).then().statusCode(400);
    reserve(key(), Map.of("category", category, "estimateUsd", 0.0000001)).then().statusCode(400);
    reserve(key(), Map.of("category", category, "estimateUsd", 1, "ttlSeconds", 0))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("ttlSeconds"));
    reserve(key(), Map.of("category", category, "estimateUsd", 1, "ttlSeconds", 100000))
        .then()
        .statusCode(400);
    as("pipeline")
        .body(Map.of("category", category, "estimateUsd", 1))
        .post("/api/v1/reservations")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("Idempotency-Key"));
    as("pipeline")
        .body(Map.of("actualUsd", 0))
        .post("/api/v1/reservations/" + UUID.randomUUID() + "/commit")
        .then()
        .statusCode(400);
    as("pipeline")
        .body(Map.of("actualUsd", 1))
        .post("/api/v1/reservations/" + UUID.randomUUID() + "/commit")
        .then()
        .statusCode(404)
        .body("type", containsString("reservation-not-found"));
    as("pipeline")
        .body("{\"estimateUsd\": ")
        .header("Idempotency-Key", key())
        .post("/api/v1/reservations")
        .then()
        .statusCode(400);

    String rows =
        postgres
            .primary()
            .queryValue(
                "SELECT count(*) FROM budget.reservation WHERE category = '" + category + "'");
    assertThat(rows).isEqualTo("0");
  }

  @Test
  void malformedReservationIdsAreBadRequestsThatNameTheParameter() {
    for (String id : new String[] {"not-a-uuid", "1-2-3-4-5", "%20"}) {
      as("viewer")
          .get("/api/v1/reservations/" + id)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("id"));
      as("pipeline")
          .body(Map.of("actualUsd", 1))
          .post("/api/v1/reservations/" + id + "/commit")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("id"));
      as("pipeline")
          .post("/api/v1/reservations/" + id + "/release")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("id"));
    }
  }

  @Test
  void viewerCannotReserve() {
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev.bulwark.testing.TestJwt.token("viewer"))
        .contentType("application/json")
        .header("Idempotency-Key", key())
        .body(Map.of("estimateUsd", 1))
        .post("/api/v1/reservations")
        .then()
        .statusCode(403);
  }

  @Test
  void gateFailsFastWith503WhileTheDatabaseIsDownAndRecoversAfter() {
    String category = uniqueCategory();
    postgres.primary().crash();
    try {
      reserve(key(), Map.of("category", category, "estimateUsd", 1))
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .header("Retry-After", notNullValue());
    } finally {
      postgres.primary().start();
    }
    int status =
        await("the gate answers again after the database returns")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> reserve(key(), Map.of("category", category, "estimateUsd", 1)).statusCode(),
                code -> code == 200);
    assertThat(status).isEqualTo(200);
    as("viewer").get("/api/v1/spend?category=" + category).then().body("groups[0]", nullValue());
  }
}
