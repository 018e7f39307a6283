package dev.bulwark.metrics.spend;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.metrics.FakeBudgetService;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.ServiceProcess;
import dev.bulwark.testing.TestJwt;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * metrics-service against the real budget-service, run from its built jar on the test's PostgreSQL
 * (its own {@code budget} schema): the spend gauges follow what budget-service committed, and one
 * trace spans the spend call in both services. A change of budget-service's spend API fails here.
 */
@QuarkusTest
class RealBudgetServiceTests {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServiceProcess budgetService;

  @InjectPostgres PostgresCluster postgres;

  @Inject InMemorySpanExporter spans;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @BeforeEach
  void metricsServiceReadsTheRealBudgetService() {
    if (budgetService == null) {
      budgetService = startBudgetService(postgres.primary());
    }
    postgres.primary().execute("TRUNCATE metrics.lead, metrics.lead_rollup");
    FakeBudgetService.instance().forwardTo(budgetService.uri());
  }

  @AfterEach
  void backToTheFake() {
    FakeBudgetService.instance().mode(FakeBudgetService.Mode.ANSWER);
  }

  @AfterAll
  static void stopBudgetService() {
    if (budgetService != null) {
      budgetService.close();
      budgetService = null;
    }
  }

  @Test
  void spendAndCostPerLeadAreWhatBudgetServiceCommitted() {
    // given: a budget, and three operations reserved and committed through budget-service's API
    String budget = "llm-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .auth()
        .oauth2(TestJwt.token("operator"))
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "name",
                budget,
                "scope",
                Map.of("category", "llm"),
                "period",
                "total",
                "limitUsd",
                100))
        .post(budgetService.uri().resolve("/api/v1/budgets"))
        .then()
        .statusCode(201);
    spend("llm", new BigDecimal("1.50"), new BigDecimal("1.25"));
    spend("llm", new BigDecimal("3.00"), new BigDecimal("2.75"));
    spend("gpu", new BigDecimal("5.00"), new BigDecimal("6.00"));
    // and four leads in the last day
    postLeads(4, Instant.now().minus(Duration.ofHours(1)));

    // then: metrics-service reads the committed figures (an overrun counts as spent)
    awaitAsserted(
        metrics,
        "spend from budget-service",
        s -> {
          assertThat(s.value("bulwark_spend_usd", "category", "llm", "window", "24h")).hasValue(4);
          assertThat(s.value("bulwark_spend_usd", "category", "gpu", "window", "24h")).hasValue(6);
          assertThat(s.value("bulwark_spend_usd", "category", "llm", "window", "7d")).hasValue(4);
          assertThat(s.value("bulwark_gpu_spend_usd", "window", "24h")).hasValue(6);
          // 10 USD over 4 leads
          assertThat(s.value("bulwark_cost_per_lead_usd", "window", "24h")).hasValue(2.5);
          assertThat(s.value("bulwark_spend_up")).hasValue(1);
        });
  }

  @Test
  void oneTraceSpansTheSpendCallInBothServices() {
    spans.reset();

    // when: metrics-service's spend refresh (every second in tests) calls budget-service, then
    // budget-service's access log line for a call (one JSON line, with its server span's ids)
    // belongs to the trace of a client span that metrics-service exported for that call
    TracedCall traced =
        await("a spend call traced in both services")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(this::tracedSpendCall, Optional::isPresent)
            .get();

    assertThat(traced.call().getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("metrics-service");
    // budget-service's span is a child of metrics-service's client span
    assertThat(traced.line().at("/mdc/parentId").asText()).isEqualTo(traced.call().getSpanId());
    assertThat(traced.line().at("/mdc/spanId").asText())
        .matches("[0-9a-f]{16}")
        .isNotEqualTo(traced.call().getSpanId());

    // and budget-service, which has no collector, never tried to export (it would every 100 ms)
    int callsSoFar = spendLines().size();
    await("two more spend calls")
        .atMost(Duration.ofSeconds(10))
        .until(() -> spendLines().size() >= callsSoFar + 2);
    assertThat(budgetService.log()).doesNotContain("Failed to export");
  }

  /** metrics-service's client span for a spend call and budget-service's log line for it. */
  private record TracedCall(SpanData call, JsonNode line) {}

  private Optional<TracedCall> tracedSpendCall() {
    List<JsonNode> lines = spendLines();
    for (SpanData span : spans.getFinishedSpanItems()) {
      if (span.getKind() != SpanKind.CLIENT || !callsSpend(span)) {
        continue;
      }
      for (JsonNode line : lines) {
        if (span.getTraceId().equals(line.at("/mdc/traceId").asText())) {
          return Optional.of(new TracedCall(span, line));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean callsSpend(SpanData span) {
    return span.getAttributes().asMap().values().stream()
        .anyMatch(value -> String.valueOf(value).contains("/api/v1/spend"));
  }

  /** budget-service's JSON access log lines for {@code GET /api/v1/spend}. */
  private static List<JsonNode> spendLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String raw : budgetService.log().split("\n")) {
      if (!raw.startsWith("{")) {
        continue;
      }
      try {
        JsonNode line = JSON.readTree(raw);
        if ("io.quarkus.http.access-log".equals(line.path("loggerName").asText())
            && line.path("message").asText().contains("GET /api/v1/spend")) {
          lines.add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON log line: " + raw, e);
      }
    }
    return lines;
  }

  private static void spend(String category, BigDecimal estimate, BigDecimal actual) {
    String reservation =
        given()
            .auth()
            .oauth2(TestJwt.token("pipeline"))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .contentType(ContentType.JSON)
            .body(Map.of("category", category, "estimateUsd", estimate, "ttlSeconds", 300))
            .post(budgetService.uri().resolve("/api/v1/reservations"))
            .then()
            .statusCode(200)
            .body("granted", equalTo(true))
            .extract()
            .path("reservationId");
    given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(Map.of("actualUsd", actual))
        .post(budgetService.uri().resolve("/api/v1/reservations/" + reservation + "/commit"))
        .then()
        .statusCode(200);
  }

  private static void postLeads(int n, Instant createdAt) {
    List<Map<String, Object>> leads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leads.add(
          Map.of(
              "id", UUID.randomUUID().toString(),
              "source", "crawler",
              "createdAt", createdAt.toString()));
    }
    given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(Map.of("leads", leads))
        .post("/api/v1/leads")
        .then()
        .statusCode(200)
        .body("stored", equalTo(n));
  }

  private static ServiceProcess startBudgetService(PostgresNode database) {
    return ServiceProcess.of("budget-service")
        .config("quarkus.datasource.username", database.user())
        .config("quarkus.datasource.jdbc.url", database.jdbcUrl("postgres"))
        .config("quarkus.datasource.reactive.url", database.reactiveUrl("postgres"))
        .config("mp.jwt.verify.publickey", TestJwt.publicKeyBase64())
        .config("mp.jwt.verify.issuer", TestJwt.ISSUER)
        // One JSON line per request, carrying the ids of the request's span (the MDC).
        .config("quarkus.http.access-log.enabled", "true")
        // Spans are handed to the exporter every 100 ms: without a collector there must be none.
        .config("quarkus.otel.bsp.schedule.delay", "100ms")
        .start();
  }
}
