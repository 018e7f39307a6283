package dev.bulwark.budget.exported;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BudgetGaugesTests {

  @InjectPostgres PostgresCluster postgres;

  @Inject MeterRegistry registry;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  /** Pinned at noon: the daily budgets below keep one period for the whole test. */
  private MutableClock clock;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void gaugesShowEachLiveBudgetsCurrentPeriod() {
    String category = uniqueCategory();
    createBudget(category, Map.of("category", category), "daily", "10", true);
    String id = reservation(category, 3);
    reservation(category, 2);
    as("pipeline")
        .body(Map.of("actualUsd", 2.5))
        .post("/api/v1/reservations/" + id + "/commit")
        .then()
        .statusCode(200);

    Scrapes.awaitAsserted(
        metrics,
        "the figures of the new budget",
        scrape -> {
          String[] labels = {"budget", category, "mode", "enforce", "period", "daily"};
          assertThat(scrape.value("bulwark_budget_limit_usd", labels)).hasValue(10.0);
          assertThat(scrape.value("bulwark_budget_soft_limit_usd", labels)).hasValue(8.0);
          assertThat(scrape.value("bulwark_budget_spent_usd", labels)).hasValue(2.5);
          assertThat(scrape.value("bulwark_budget_held_usd", labels)).hasValue(2.0);
          assertThat(scrape.value("bulwark_budget_remaining_usd", labels)).hasValue(5.5);
          assertThat(scrape.value("bulwark_budget_gauges_up")).hasValue(1.0);
        });
  }

  @Test
  void aRowIsUpdatedInPlaceAndAnArchivedBudgetsRowDisappears() {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "10", true);
    String[] labels = {"budget", category, "mode", "enforce", "period", "daily"};
    Scrapes.awaitAsserted(
        metrics,
        "the new budget's row",
        scrape -> assertThat(scrape.value("bulwark_budget_held_usd", labels)).hasValue(0.0));
    Gauge first = heldGauge(category);

    reservation(category, 4);
    Scrapes.awaitAsserted(
        metrics,
        "the held amount refreshed",
        scrape -> assertThat(scrape.value("bulwark_budget_held_usd", labels)).hasValue(4.0));
    assertThat(heldGauge(category)).as("the same meter, not a re-registered one").isSameAs(first);

    as("operator").delete("/api/v1/budgets/" + budget).then().statusCode(200);
    Scrapes.awaitAsserted(
        metrics,
        "the archived budget's rows gone",
        scrape -> {
          assertThat(scrape.value("bulwark_budget_held_usd", labels)).isEmpty();
          assertThat(scrape.value("bulwark_budget_limit_usd", labels)).isEmpty();
        });
  }

  @Test
  void gaugesReportStaleWhileTheDatabaseIsDownAndFreshAfter() {
    String category = uniqueCategory();
    createBudget(category, Map.of("category", category), "daily", "10", true);
    String[] labels = {"budget", category, "mode", "enforce", "period", "daily"};
    PrometheusText fresh =
        Scrapes.awaitAsserted(
            metrics,
            "fresh gauges of the new budget",
            scrape -> {
              assertThat(scrape.value("bulwark_budget_limit_usd", labels)).hasValue(10.0);
              assertThat(scrape.value("bulwark_budget_gauges_up")).hasValue(1.0);
            });
    assertThat(fresh.value("bulwark_budget_gauges_last_success_timestamp_seconds"))
        .hasValue(clock.instant().toEpochMilli() / 1000.0);

    postgres.primary().crash();
    try {
      Scrapes.awaitAsserted(
          metrics,
          "gauges marked stale",
          scrape -> {
            assertThat(scrape.value("bulwark_budget_gauges_up")).hasValue(0.0);
            // The last values stay, flagged by up = 0, rather than turning into fake zeros.
            assertThat(scrape.value("bulwark_budget_limit_usd", labels)).hasValue(10.0);
          });
    } finally {
      postgres.primary().start();
    }
    Scrapes.awaitAsserted(
        metrics,
        "gauges fresh again",
        scrape -> assertThat(scrape.value("bulwark_budget_gauges_up")).hasValue(1.0));
  }

  private Gauge heldGauge(String budget) {
    return registry.find("bulwark.budget.held.usd").tag("budget", budget).gauge();
  }

  private static String reservation(String category, int estimateUsd) {
    return reserve(
            UUID.randomUUID().toString(), Map.of("category", category, "estimateUsd", estimateUsd))
        .then()
        .statusCode(200)
        .extract()
        .path("reservationId");
  }
}
