package dev.bulwark.budget.exported;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.budget.BudgetApi;
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
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets that are not exported have no gauges of their own and are counted in the aggregates; the
 * exported ones beyond {@code bulwark.budget.exported-limit} (100) are left out newest first.
 */
@QuarkusTest
class BudgetAggregateGaugesTests {

  private static final String AGGREGATED = "bulwark_budget_aggregated_budgets";
  private static final String MAX_RATIO = "bulwark_budget_aggregated_max_utilisation_ratio";

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  /** Pinned: no period rolls over during a test. */
  private final MutableClock clock = MutableClock.todayAtNoon();

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void aBudgetThatIsNotExportedIsCountedByStateAndHasNoGaugesOfItsOwn() {
    // observe + total: a combination no other test's live budgets use, so counts are exact.
    String[] under = {"state", "under", "mode", "observe", "period", "total"};
    String[] soft = {"state", "soft-limit-crossed", "mode", "observe", "period", "total"};
    String[] atLimit = {"state", "at-limit", "mode", "observe", "period", "total"};
    PrometheusText before = fresh();
    double underBefore = before.value(AGGREGATED, under).orElseThrow();
    double softBefore = before.value(AGGREGATED, soft).orElseThrow();
    double atLimitBefore = before.value(AGGREGATED, atLimit).orElseThrow();

    String category = uniqueCategory();
    as("operator")
        .body(
            Map.of(
                "name",
                category,
                "scope",
                Map.of("category", category),
                "period",
                "total",
                "limitUsd",
                10,
                "mode",
                "observe"))
        .post("/api/v1/budgets")
        .then()
        .statusCode(201)
        .body("exported", equalTo(false));
    String[] own = {"budget", category, "mode", "observe", "period", "total"};
    Scrapes.awaitAsserted(
        metrics,
        "the new budget counted under its soft limit",
        scrape -> {
          assertThat(scrape.value(AGGREGATED, under)).hasValue(underBefore + 1);
          assertThat(scrape.value("bulwark_budget_limit_usd", own)).isEmpty();
          assertThat(scrape.value("bulwark_budget_spent_usd", own)).isEmpty();
        });

    reserve(category, 8.5);
    Scrapes.awaitAsserted(
        metrics,
        "8.5 of 10: past the soft limit",
        scrape -> {
          assertThat(scrape.value(AGGREGATED, under)).hasValue(underBefore);
          assertThat(scrape.value(AGGREGATED, soft)).hasValue(softBefore + 1);
          assertThat(scrape.value(MAX_RATIO, "mode", "observe", "period", "total")).hasValue(0.85);
        });

    reserve(category, 3);
    Scrapes.awaitAsserted(
        metrics,
        "11.5 of 10 (observe mode never denies): at the limit",
        scrape -> {
          assertThat(scrape.value(AGGREGATED, soft)).hasValue(softBefore);
          assertThat(scrape.value(AGGREGATED, atLimit)).hasValue(atLimitBefore + 1);
          assertThat(scrape.value(MAX_RATIO, "mode", "observe", "period", "total")).hasValue(1.15);
          assertThat(scrape.value("bulwark_budget_held_usd", own)).isEmpty();
        });
  }

  @Test
  void twoThousandBudgetsAddNoSeriesToTheScrape() {
    String[] under = {"state", "under", "mode", "observe", "period", "weekly"};
    double underBefore = fresh().value(AGGREGATED, under).orElseThrow();
    long seriesBefore = budgetSeries();
    String prefix = uniqueCategory();
    try {
      postgres
          .primary()
          .execute(
              "INSERT INTO budget.budget (id, name, scope, period, limit_usd, mode)"
                  + " SELECT gen_random_uuid(), '"
                  + prefix
                  + "-' || i, jsonb_build_object('category', '"
                  + prefix
                  + "', 'team', 't' || i), 'weekly', 10, 'observe'"
                  + " FROM generate_series(1, 2000) AS i");
      Scrapes.awaitAsserted(
          metrics,
          "2,000 budgets counted",
          scrape -> assertThat(scrape.value(AGGREGATED, under)).hasValue(underBefore + 2000));
      long series = budgetSeries();
      // At most one new largest-ratio row per mode and period: nothing per budget.
      assertThat(series).isLessThanOrEqualTo(seriesBefore + 8).isLessThan(100);
    } finally {
      postgres.primary().execute("DELETE FROM budget.budget WHERE name LIKE '" + prefix + "-%'");
    }
  }

  @Test
  void exportedBudgetsBeyondTheLimitAreLeftOutNewestFirstAndCounted() {
    String[] under = {"state", "under", "mode", "observe", "period", "monthly"};
    double underBefore = fresh().value(AGGREGATED, under).orElseThrow();
    int exported =
        Integer.parseInt(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM budget.budget WHERE exported AND archived_at IS NULL"));
    int room = 100 - exported;
    String prefix = uniqueCategory();
    try {
      // Created after every other budget (tests pin their clocks to today, the database's now()
      // may be earlier), one second apart: the last 3 are the newest.
      postgres
          .primary()
          .execute(
              "INSERT INTO budget.budget (id, name, scope, period, limit_usd, mode, exported,"
                  + " created_at, updated_at)"
                  + " SELECT gen_random_uuid(), '"
                  + prefix
                  + "-' || i, jsonb_build_object('category', '"
                  + prefix
                  + "'), 'monthly', 10, 'observe', true,"
                  + " timestamptz '2100-01-01 00:00Z' + i * interval '1 second', now()"
                  + " FROM generate_series(1, "
                  + (room + 3)
                  + ") AS i");
      Scrapes.awaitAsserted(
          metrics,
          "3 exported budgets left out",
          scrape -> {
            assertThat(scrape.value("bulwark_budget_exported_left_out")).hasValue(3);
            assertThat(scrape.value(AGGREGATED, under)).hasValue(underBefore + 3);
            assertThat(scrape.value("bulwark_budget_limit_usd", labels(prefix + "-" + room)))
                .hasValue(10);
            for (int i = room + 1; i <= room + 3; i++) {
              assertThat(scrape.value("bulwark_budget_limit_usd", labels(prefix + "-" + i)))
                  .isEmpty();
            }
          });
    } finally {
      postgres.primary().execute("DELETE FROM budget.budget WHERE name LIKE '" + prefix + "-%'");
    }
    Scrapes.awaitAsserted(
        metrics,
        "none left out once they are gone",
        scrape -> assertThat(scrape.value("bulwark_budget_exported_left_out")).hasValue(0));
  }

  private static String[] labels(String budget) {
    return new String[] {"budget", budget, "mode", "observe", "period", "monthly"};
  }

  /** A scrape after a successful refresh. */
  private PrometheusText fresh() {
    return Scrapes.awaitAsserted(
        metrics,
        "fresh budget gauges",
        scrape -> assertThat(scrape.value("bulwark_budget_gauges_up")).hasValue(1.0));
  }

  /**
   * The scrape's series of budget gauges and counters; the gate's latency histogram is left out,
   * its size is fixed whatever the number of budgets.
   */
  private long budgetSeries() {
    return Arrays.stream(given().get(metrics).asString().split("\n"))
        .filter(line -> line.startsWith("bulwark_budget_"))
        .filter(line -> !line.startsWith("bulwark_budget_gate_seconds"))
        .count();
  }

  private static void reserve(String category, double estimateUsd) {
    BudgetApi.reserve(
            UUID.randomUUID().toString(), Map.of("category", category, "estimateUsd", estimateUsd))
        .then()
        .statusCode(200)
        .body("granted", equalTo(true));
  }
}
