package dev.bulwark.budget.api;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;
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
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spend without a reservation: counted where it matches, never refused, recorded once. */
@QuarkusTest
class UngatedSpendTests {

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
  void aFullBudgetCountsUngatedSpendAndTheNextReserveIsDenied() {
    PrometheusText before = Scrapes.scrape(metrics);
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "1");
    reserve(UUID.randomUUID().toString(), Map.of("category", category, "estimateUsd", 1))
        .then()
        .body("granted", equalTo(true));

    record(UUID.randomUUID().toString(), Map.of("category", category, "amountUsd", 2.5))
        .then()
        .statusCode(200)
        .header("Idempotent-Replayed", "false")
        .body("amountUsd", equalTo(2.5f))
        .body("budgets.find { it.budgetId == '" + budget + "' }.spentUsd", equalTo(2.5f))
        .body("budgets.find { it.budgetId == '" + budget + "' }.remainingUsd", equalTo(-2.5f));

    as("viewer")
        .get("/api/v1/budgets/" + budget)
        .then()
        .body("current.spentUsd", equalTo(2.5f))
        .body("current.heldUsd", equalTo(1.0f));
    reserve(UUID.randomUUID().toString(), Map.of("category", category, "estimateUsd", 0.01))
        .then()
        .body("granted", equalTo(false));
    clock.advance(java.time.Duration.ofSeconds(1)); // the ledger's range ends before now
    as("viewer")
        .get("/api/v1/spend?groupBy=kind,budget&budgetId=" + budget)
        .then()
        .body("groups.size()", equalTo(1))
        .body("groups[0].group.kind", equalTo("ungated"))
        .body("groups[0].ungatedUsd", equalTo(2.5f))
        .body("groups[0].overrunUsd", equalTo(0.0f));
    Scrapes.awaitAsserted(
        metrics,
        "the ungated spend counted",
        scrape -> {
          assertThat(scrape.value("bulwark_budget_ungated_spends_total"))
              .hasValue(before.value("bulwark_budget_ungated_spends_total").orElse(0) + 1);
          assertThat(scrape.value("bulwark_budget_ungated_usd_total").orElseThrow())
              .isCloseTo(
                  before.value("bulwark_budget_ungated_usd_total").orElse(0) + 2.5,
                  Offset.offset(1e-9));
        });
  }

  @Test
  void concurrentDuplicatesLandInTheLedgerOnceAndAnotherBodyIsAConflict() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "10");
    String key = UUID.randomUUID().toString();
    Map<String, Object> body =
        Map.of("category", category, "team", "crawl", "amountUsd", new BigDecimal("0.3"));

    List<Response> answers = recordTogether(key, body, 16);

    assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
    assertThat(answers.stream().map(a -> a.jsonPath().getString("id")).distinct()).hasSize(1);
    assertThat(answers.stream().filter(a -> "false".equals(a.header("Idempotent-Replayed"))))
        .hasSize(1);
    assertThat(answers.stream().map(Response::asString).distinct()).hasSize(1);
    assertThat(ledger("count(*)", category)).isEqualByComparingTo("1");
    assertThat(ledger("sum(amount_usd)", category)).isEqualByComparingTo("0.3");
    assertThat(
            new BigDecimal(
                postgres
                    .primary()
                    .queryValue(
                        "SELECT spent_usd FROM budget.budget_period WHERE budget_id = '"
                            + budget
                            + "'")))
        .isEqualByComparingTo("0.3");

    record(key, Map.of("category", category, "team", "crawl", "amountUsd", 0.4))
        .then()
        .statusCode(409)
        .body("type", containsString("idempotency-key-reused"));
    // A key is one operation across the gate: a reserve may not take an ungated spend's key.
    reserve(key, Map.of("category", category, "estimateUsd", 0.3)).then().statusCode(409);
    assertThat(ledger("count(*)", category)).isEqualByComparingTo("1");
  }

  @Test
  void badInputIsRejectedAndNothingIsWritten() {
    String category = uniqueCategory();
    as("pipeline")
        .body(Map.of("category", category, "amountUsd", 1))
        .post("/api/v1/spend")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("Idempotency-Key"));
    record(UUID.randomUUID().toString(), Map.of("category", category, "amountUsd", 0))
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    record(UUID.randomUUID().toString(), Map.of("category", category, "amountUsd", "1.0000001"))
        .then()
        .statusCode(400);
    as("viewer")
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .body(Map.of("category", category, "amountUsd", 1))
        .post("/api/v1/spend")
        .then()
        .statusCode(403);
    assertThat(ledger("count(*)", category)).isEqualByComparingTo("0");
  }

  private static Response record(String key, Map<String, Object> body) {
    return as("pipeline").header("Idempotency-Key", key).body(body).post("/api/v1/spend");
  }

  private static List<Response> recordTogether(String key, Map<String, Object> body, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Response>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        calls.add(
            pool.submit(
                () -> {
                  start.await();
                  return record(key, body);
                }));
      }
      start.countDown();
      List<Response> answers = new ArrayList<>();
      for (Future<Response> call : calls) {
        answers.add(call.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
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
