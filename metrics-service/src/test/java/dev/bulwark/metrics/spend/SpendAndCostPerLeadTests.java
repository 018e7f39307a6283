package dev.bulwark.metrics.spend;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.metrics.FakeBudgetService;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SpendAndCostPerLeadTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  FakeBudgetService budget = FakeBudgetService.instance();

  @BeforeEach
  void startFromNoLeads() {
    postgres.primary().execute("TRUNCATE metrics.lead, metrics.lead_rollup");
    budget.mode(FakeBudgetService.Mode.ANSWER);
  }

  @AfterEach
  void budgetServiceAnswers() {
    budget.mode(FakeBudgetService.Mode.ANSWER);
  }

  @Test
  void costPerLeadIsSpendOverLeadsInTheSameWindow() {
    budget.spend("24h", Map.of("gpu", new BigDecimal("12.50"), "llm", new BigDecimal("7.50")));
    budget.spend(
        "7d",
        Map.of("gpu", new BigDecimal("40"), "llm", new BigDecimal("30"), "email", BigDecimal.TEN));
    Instant now = Instant.now();
    List<Map<String, Object>> leads = new ArrayList<>(leads(8, now.minus(1, ChronoUnit.HOURS)));
    leads.addAll(leads(2, now.minus(3, ChronoUnit.DAYS)));
    postLeads(leads).statusCode(200).body("stored", equalTo(10));
    // Re-sent leads do not dilute the cost.
    postLeads(leads.subList(0, 4)).statusCode(200).body("duplicates", equalTo(4));

    // 24h: 20 USD / 8 leads; 7d: 80 USD / 10 leads
    awaitAsserted(
        metrics,
        "cost per lead",
        s -> {
          assertThat(s.value("bulwark_cost_per_lead_usd", "window", "7d")).hasValue(8.0);
          assertThat(s.value("bulwark_cost_per_lead_usd", "window", "24h")).hasValue(2.5);
          assertThat(s.value("bulwark_leads", "window", "24h")).hasValue(8);
          assertThat(s.value("bulwark_leads", "window", "7d")).hasValue(10);
          assertThat(s.value("bulwark_gpu_spend_usd", "window", "24h")).hasValue(12.5);
          assertThat(s.value("bulwark_spend_usd", "category", "llm", "window", "7d")).hasValue(30);
          assertThat(s.value("bulwark_cost_per_lead_threshold_usd", "window", "24h")).hasValue(2);
          assertThat(s.value("bulwark_gpu_spend_threshold_usd", "window", "24h")).hasValue(50);
          assertThat(s.value("bulwark_spend_up")).hasValue(1);
        });
  }

  @Test
  void withoutLeadsThereIsNoCostPerLead() {
    budget.spend("24h", Map.of("llm", BigDecimal.ONE));
    awaitAsserted(
        metrics,
        "no leads counted",
        s -> {
          assertThat(s.value("bulwark_leads", "window", "24h")).hasValue(0);
          assertThat(s.value("bulwark_spend_usd", "category", "llm", "window", "24h")).hasValue(1);
          assertThat(s.value("bulwark_cost_per_lead_usd", "window", "24h")).isEmpty();
        });
  }

  @Test
  void whenBudgetServiceFailsTheLastSpendStaysAndIsMarkedStale() {
    budget.spend("24h", Map.of("gpu", new BigDecimal("33")));
    awaitAsserted(
        metrics,
        "spend read",
        s -> assertThat(s.value("bulwark_gpu_spend_usd", "window", "24h")).hasValue(33));

    budget.mode(FakeBudgetService.Mode.FAIL);
    budget.spend("24h", Map.of("gpu", BigDecimal.ZERO));
    PrometheusText stale =
        awaitAsserted(
            metrics,
            "spend marked stale",
            s -> assertThat(s.value("bulwark_spend_up")).hasValue(0));
    // Never zero because a call failed: the last known value stays.
    assertThat(stale.value("bulwark_gpu_spend_usd", "window", "24h")).hasValue(33);

    budget.mode(FakeBudgetService.Mode.HANG);
    int calls = budget.calls();
    await("calls time out and retry")
        .atMost(Duration.ofSeconds(20))
        .until(() -> budget.calls() >= calls + 2);
    assertThat(Scrapes.value(metrics, "bulwark_spend_up")).isZero();

    budget.mode(FakeBudgetService.Mode.ANSWER);
    awaitAsserted(
        metrics,
        "spend fresh again",
        s -> {
          assertThat(s.value("bulwark_spend_up")).hasValue(1);
          assertThat(s.value("bulwark_gpu_spend_usd", "window", "24h")).hasValue(0);
        });
  }

  @Test
  void badLeadsAreRefusedAndNothingIsStored() {
    List<Map<String, Object>> leads = new ArrayList<>(leads(3, Instant.now()));
    Map<String, Object> noSource = new java.util.HashMap<>(leads(1, Instant.now()).get(0));
    noSource.remove("source");
    leads.add(noSource);
    postLeads(leads)
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("leads[3].source"));
    postLeads(leads(1, Instant.now().plus(2, ChronoUnit.DAYS)))
        .statusCode(400)
        .body("detail", containsString("future"));
    postLeads(leads(251, Instant.now())).statusCode(413);
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.lead")).isEqualTo("0");
  }

  static List<Map<String, Object>> leads(int n, Instant createdAt) {
    List<Map<String, Object>> leads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leads.add(
          Map.of(
              "id", UUID.randomUUID().toString(),
              "source", "crawler",
              "createdAt", createdAt.toString()));
    }
    return leads;
  }

  private static io.restassured.response.ValidatableResponse postLeads(
      List<Map<String, Object>> leads) {
    return given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(Map.of("leads", leads))
        .post("/api/v1/leads")
        .then();
  }
}
