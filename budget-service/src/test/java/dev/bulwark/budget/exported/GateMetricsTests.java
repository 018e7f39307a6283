package dev.bulwark.budget.exported;

import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GateMetricsTests {

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @BeforeEach
  void pinTheClock() {
    // Noon: the daily budget below keeps one period for the whole test.
    QuarkusMock.installMockForType(MutableClock.todayAtNoon(), Clock.class);
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  @Test
  void metricsCountDecisionsAndTimeTheGate() {
    PrometheusText before = Scrapes.scrape(metrics);
    String category = uniqueCategory();
    createBudget(category, Map.of("category", category), "daily", "1");
    String key = key();

    reserve(key, Map.of("category", category, "estimateUsd", 1))
        .then()
        .body("granted", equalTo(true));
    reserve(key, Map.of("category", category, "estimateUsd", 1)).then().statusCode(200);
    reserve(key(), Map.of("category", category, "estimateUsd", 1))
        .then()
        .body("granted", equalTo(false));

    PrometheusText after = Scrapes.scrape(metrics);
    for (String outcome : new String[] {"granted", "replayed", "denied"}) {
      assertThat(after.value("bulwark_budget_decisions_total", "outcome", outcome))
          .as(outcome)
          .hasValue(
              before.value("bulwark_budget_decisions_total", "outcome", outcome).orElse(0) + 1);
    }
    assertThat(after.value("bulwark_budget_gate_seconds_count", "operation", "reserve"))
        .hasValue(
            before.value("bulwark_budget_gate_seconds_count", "operation", "reserve").orElse(0)
                + 3);
    assertThat(
            after
                .value("bulwark_budget_gate_seconds", "operation", "reserve", "quantile", "0.99")
                .orElse(Double.NaN))
        .isPositive();
  }
}
