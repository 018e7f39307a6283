package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresResource;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class GateConcurrencyTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource("/api/v1/reservations")
  URL reservations;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void grantsExactlyTheLimitUnderConcurrency() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "50");

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add("{\"category\":\"" + category + "\",\"estimateUsd\":1}");
    }
    Sampler sampler = Sampler.start(postgres, budget);
    List<HttpResponse<String>> responses = fire(bodies, null);
    BigDecimal maxUsed = sampler.stop();

    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(responses.stream().filter(r -> r.body().contains("\"granted\":true")).count())
        .isEqualTo(50);
    assertThat(maxUsed).isLessThanOrEqualTo(new BigDecimal("50"));
    assertThat(used(budget)).isEqualByComparingTo("50");
  }

  @Test
  void grantsOnlyWhatFitsInEveryOverlappingBudget() throws Exception {
    String category = uniqueCategory();
    String team = "team-" + category;
    String wide = createBudget(category, Map.of("category", category), "daily", "50");
    String narrow = createBudget(team, Map.of("team", team), "daily", "30");

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add(
          i % 2 == 0
              ? "{\"category\":\"" + category + "\",\"team\":\"" + team + "\",\"estimateUsd\":1}"
              : "{\"category\":\"" + category + "\",\"estimateUsd\":1}");
    }
    Sampler wideSampler = Sampler.start(postgres, wide);
    Sampler narrowSampler = Sampler.start(postgres, narrow);
    List<HttpResponse<String>> responses = fire(bodies, null);
    BigDecimal wideMax = wideSampler.stop();
    BigDecimal narrowMax = narrowSampler.stop();

    long granted = responses.stream().filter(r -> r.body().contains("\"granted\":true")).count();
    assertThat(granted).isEqualTo(50);
    assertThat(wideMax).isLessThanOrEqualTo(new BigDecimal("50"));
    assertThat(narrowMax).isLessThanOrEqualTo(new BigDecimal("30"));
    assertThat(used(wide)).isEqualByComparingTo("50");
    assertThat(used(narrow)).isLessThanOrEqualTo(new BigDecimal("30"));
    assertThat(responses.stream().filter(r -> r.body().contains("\"deniedBy\"")).count())
        .isEqualTo(150);
  }

  @Test
  void concurrentReplaysOfOneKeyHoldOnce() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "100");
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bodies.add("{\"category\":\"" + category + "\",\"estimateUsd\":3}");
    }

    List<HttpResponse<String>> responses = fire(bodies, "same-key-" + category);

    List<String> ids =
        responses.stream()
            .map(r -> r.body().replaceAll(".*\"reservationId\":\"([^\"]+)\".*", "$1"))
            .distinct()
            .toList();
    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(ids).hasSize(1);
    assertThat(used(budget)).isEqualByComparingTo("3");
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM budget.reservation WHERE idempotency_key = 'same-key-"
                        + category
                        + "'"))
        .isEqualTo("1");
  }

  /** Sends every body at once; each with its own idempotency key unless one is given. */
  private List<HttpResponse<String>> fire(List<String> bodies, String sharedKey) throws Exception {
    String token = TestJwt.token("pipeline");
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (String body : bodies) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(reservations.toString()))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header(
                  "Idempotency-Key", sharedKey != null ? sharedKey : UUID.randomUUID().toString())
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private BigDecimal used(String budgetId) {
    return new BigDecimal(
        postgres
            .primary()
            .queryValue(
                "SELECT coalesce(sum(spent_usd + held_usd), 0) FROM budget.budget_period WHERE budget_id = '"
                    + budgetId
                    + "'"));
  }

  /** Reads spent + held of a budget over and over while requests run, keeping the maximum seen. */
  private static final class Sampler {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<BigDecimal> max = new AtomicReference<>(BigDecimal.ZERO);
    private final Thread thread;

    private Sampler(PostgresCluster postgres, String budgetId) {
      thread =
          new Thread(
              () -> {
                try (Connection c = postgres.primary().connect("postgres");
                    Statement s = c.createStatement()) {
                  while (running.get()) {
                    try (ResultSet rows =
                        s.executeQuery(
                            "SELECT coalesce(max(spent_usd + held_usd), 0) FROM budget.budget_period WHERE budget_id = '"
                                + budgetId
                                + "'")) {
                      rows.next();
                      BigDecimal seen = rows.getBigDecimal(1);
                      max.accumulateAndGet(seen, BigDecimal::max);
                    }
                  }
                } catch (Exception e) {
                  max.set(new BigDecimal("-1"));
                }
              });
      thread.start();
    }

    static Sampler start(PostgresCluster postgres, String budgetId) {
      return new Sampler(postgres, budgetId);
    }

    BigDecimal stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
      assertThat(max.get()).as("sampler failed").isNotEqualByComparingTo("-1");
      return max.get();
    }
  }
}
