package dev.bulwark.budget.api;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A commit after its hold expired records its spend, late, exactly once. */
@QuarkusTest
class LateCommitTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  private MutableClock clock;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void commitAfterTheExpiryJobIsRecordedLateAndCountedAsAnOverrun() {
    PrometheusText before = Scrapes.scrape(metrics);
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "10");
    String id = hold(category, "4", 1);
    clock.advance(Duration.ofSeconds(2));
    awaitStatus(id, "expired");

    as("pipeline")
        .body(Map.of("actualUsd", new BigDecimal("0.45")))
        .post("/api/v1/reservations/" + id + "/commit")
        .then()
        .statusCode(200)
        .body("status", equalTo("committed"))
        .body("late", equalTo(true))
        .body("actualUsd", equalTo(0.45f))
        .body("overrunUsd", equalTo(0.45f));

    as("viewer")
        .get("/api/v1/budgets/" + budget)
        .then()
        .body("current.spentUsd", equalTo(0.45f))
        .body("current.heldUsd", equalTo(0.0f));
    assertThat(period(budget, "overrun_usd")).isEqualByComparingTo("0.45");
    assertThat(period(budget, "overruns")).isEqualByComparingTo("1");
    clock.advance(Duration.ofSeconds(1)); // the ledger's range ends before now
    as("viewer")
        .get("/api/v1/spend?groupBy=kind&category=" + category)
        .then()
        .body("groups.size()", equalTo(1))
        .body("groups[0].group.kind", equalTo("late"))
        .body("groups[0].lateUsd", equalTo(0.45f))
        .body("groups[0].overrunUsd", equalTo(0.45f))
        .body("groups[0].entries", equalTo(1));
    Scrapes.awaitAsserted(
        metrics,
        "the late commit counted",
        scrape -> {
          assertThat(scrape.value("bulwark_budget_late_commits_total"))
              .hasValue(before.value("bulwark_budget_late_commits_total").orElse(0) + 1);
          assertThat(scrape.value("bulwark_budget_late_usd_total").orElseThrow())
              .isCloseTo(
                  before.value("bulwark_budget_late_usd_total").orElse(0) + 0.45,
                  org.assertj.core.data.Offset.offset(1e-9));
        });
  }

  @Test
  void aRepeatedLateCommitReplaysAndAnotherAmountIsAConflict() {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "10");
    String id = hold(category, "1", 1);
    clock.advance(Duration.ofSeconds(2));

    // No wait for the expiry job: the commit itself expires the hold first, then records it late.
    for (int i = 0; i < 2; i++) {
      as("pipeline")
          .body(Map.of("actualUsd", 2))
          .post("/api/v1/reservations/" + id + "/commit")
          .then()
          .statusCode(200)
          .body("late", equalTo(true));
    }
    as("pipeline")
        .body(Map.of("actualUsd", 3))
        .post("/api/v1/reservations/" + id + "/commit")
        .then()
        .statusCode(409)
        .body("type", containsString("reservation-committed"));
    as("pipeline")
        .post("/api/v1/reservations/" + id + "/release")
        .then()
        .statusCode(409)
        .body("type", containsString("reservation-committed"));

    assertThat(period(budget, "spent_usd")).isEqualByComparingTo("2");
    assertThat(period(budget, "held_usd")).isEqualByComparingTo("0");
    assertThat(ledger("count(*)", category)).isEqualByComparingTo("1");
  }

  @Test
  void aLateCommitLandsInThePeriodOfItsCommitExactlyOnceUnderConcurrentRetries() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "10");
    // Fill the hold's day, so that no reserve could record this spend on it.
    String id = hold(category, "10", 60);
    Instant heldDay = clock.instant().truncatedTo(ChronoUnit.DAYS);
    clock.advance(Duration.ofDays(1));

    List<Integer> statuses = commitTogether(id, new BigDecimal("0.75"), 16);

    assertThat(statuses).containsOnly(200);
    assertThat(ledger("count(*)", category)).isEqualByComparingTo("1");
    assertThat(ledger("sum(amount_usd)", category)).isEqualByComparingTo("0.75");
    // The hold's day gave its hold back and took none of the spend; the commit's day took it.
    assertThat(periodOf(budget, heldDay, "held_usd")).isEqualByComparingTo("0");
    assertThat(periodOf(budget, heldDay, "spent_usd")).isEqualByComparingTo("0");
    Instant today = heldDay.plus(Duration.ofDays(1));
    assertThat(periodOf(budget, today, "spent_usd")).isEqualByComparingTo("0.75");
    assertThat(periodOf(budget, today, "overruns")).isEqualByComparingTo("1");
    as("viewer").get("/api/v1/budgets/" + budget).then().body("current.spentUsd", equalTo(0.75f));
  }

  @Test
  void aCommitAfterTheCallersReleaseStaysRefused() {
    String category = uniqueCategory();
    String id = hold(category, "1", 1);
    as("pipeline").post("/api/v1/reservations/" + id + "/release").then().statusCode(200);
    clock.advance(Duration.ofSeconds(2));

    as("pipeline")
        .body(Map.of("actualUsd", 1))
        .post("/api/v1/reservations/" + id + "/commit")
        .then()
        .statusCode(409)
        .body("type", containsString("reservation-released"));
    assertThat(ledger("count(*)", category)).isEqualByComparingTo("0");
  }

  private String hold(String category, String estimate, int ttlSeconds) {
    return reserve(
            UUID.randomUUID().toString(),
            Map.of(
                "category",
                category,
                "estimateUsd",
                new BigDecimal(estimate),
                "ttlSeconds",
                ttlSeconds))
        .then()
        .statusCode(200)
        .body("granted", equalTo(true))
        .extract()
        .path("reservationId");
  }

  private static void awaitStatus(String id, String status) {
    await("reservation " + id + " is " + status)
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
            status::equals);
  }

  /** Commits the same amount from {@code threads} threads released at once; their statuses. */
  private static List<Integer> commitTogether(String id, BigDecimal amount, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        calls.add(
            pool.submit(
                () -> {
                  start.await();
                  return as("pipeline")
                      .body(Map.of("actualUsd", amount))
                      .post("/api/v1/reservations/" + id + "/commit")
                      .then()
                      .extract()
                      .statusCode();
                }));
      }
      start.countDown();
      ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
      for (Future<Integer> call : calls) {
        statuses.add(call.get());
      }
      return List.copyOf(statuses);
    } finally {
      pool.shutdownNow();
    }
  }

  private BigDecimal period(String budget, String column) {
    return new BigDecimal(
        postgres
            .primary()
            .queryValue(
                "SELECT "
                    + column
                    + " FROM budget.budget_period WHERE budget_id = '"
                    + budget
                    + "' ORDER BY period_start DESC LIMIT 1"));
  }

  private BigDecimal periodOf(String budget, Instant start, String column) {
    return new BigDecimal(
        postgres
            .primary()
            .queryValue(
                "SELECT coalesce(("
                    + "SELECT "
                    + column
                    + " FROM budget.budget_period WHERE budget_id = '"
                    + budget
                    + "' AND period_start = '"
                    + start
                    + "'), 0)"));
  }

  private BigDecimal ledger(String aggregate, String category) {
    return new BigDecimal(
        postgres
            .primary()
            .queryValue(
                "SELECT coalesce("
                    + aggregate
                    + ", 0) FROM budget.spend WHERE category = '"
                    + category
                    + "'"));
  }
}
