package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Concurrent reserves against one and several budgets grant exactly what fits. */
@QuarkusTest
class GateConcurrencyTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource("/api/v1/reservations")
  URL reservations;

  /** Pinned at noon: the daily budgets below never roll over mid-test, whatever the hour. */
  private MutableClock clock;

  private GateLoad load;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
    load = new GateLoad(reservations, postgres);
  }

  @Test
  void grantsExactlyTheLimitUnderConcurrency() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "50");

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add("{\"category\":\"" + category + "\",\"estimateUsd\":1}");
    }
    UsageSampler sampler = UsageSampler.start(postgres, budget);
    List<HttpResponse<String>> responses = load.fire(bodies, null);
    BigDecimal maxUsed = sampler.stop();

    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(responses.stream().filter(r -> r.body().contains("\"granted\":true")).count())
        .isEqualTo(50);
    assertThat(maxUsed).isLessThanOrEqualTo(new BigDecimal("50"));
    assertThat(load.used(budget)).isEqualByComparingTo("50");
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
    UsageSampler wideSampler = UsageSampler.start(postgres, wide);
    UsageSampler narrowSampler = UsageSampler.start(postgres, narrow);
    List<HttpResponse<String>> responses = load.fire(bodies, null);
    BigDecimal wideMax = wideSampler.stop();
    BigDecimal narrowMax = narrowSampler.stop();

    long granted = responses.stream().filter(r -> r.body().contains("\"granted\":true")).count();
    assertThat(granted).isEqualTo(50);
    assertThat(wideMax).isLessThanOrEqualTo(new BigDecimal("50"));
    assertThat(narrowMax).isLessThanOrEqualTo(new BigDecimal("30"));
    assertThat(load.used(wide)).isEqualByComparingTo("50");
    assertThat(load.used(narrow)).isLessThanOrEqualTo(new BigDecimal("30"));
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

    List<HttpResponse<String>> responses = load.fire(bodies, "same-key-" + category);

    List<String> ids =
        responses.stream()
            .map(r -> r.body().replaceAll(".*\"reservationId\":\"([^\"]+)\".*", "$1"))
            .distinct()
            .toList();
    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(ids).hasSize(1);
    assertThat(load.used(budget)).isEqualByComparingTo("3");
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM budget.reservation WHERE idempotency_key = 'same-key-"
                        + category
                        + "'"))
        .isEqualTo("1");
  }

  @Test
  void narrowBudgetDeniesWhileTheWideOneStillHasRoom() throws Exception {
    String category = uniqueCategory();
    String team = "team-" + category;
    String wide = createBudget(category, Map.of("category", category), "daily", "200");
    String narrow = createBudget(team, Map.of("team", team), "daily", "10");
    String teamBody =
        "{\"category\":\"" + category + "\",\"team\":\"" + team + "\",\"estimateUsd\":1}";
    String otherBody = "{\"category\":\"" + category + "\",\"estimateUsd\":1}";
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      // Two team requests for each other one, interleaved.
      bodies.add(i % 3 == 2 ? otherBody : teamBody);
    }

    UsageSampler narrowSampler = UsageSampler.start(postgres, narrow);
    List<HttpResponse<String>> responses = load.fire(bodies, null);
    BigDecimal narrowMax = narrowSampler.stop();

    long teamGranted = 0;
    long otherGranted = 0;
    for (int i = 0; i < bodies.size(); i++) {
      HttpResponse<String> r = responses.get(i);
      assertThat(r.statusCode()).isEqualTo(200);
      boolean granted = r.body().contains("\"granted\":true");
      if (bodies.get(i) == teamBody) {
        teamGranted += granted ? 1 : 0;
        if (!granted) {
          assertThat(r.body()).contains("\"deniedBy\":{\"budgetId\":\"" + narrow + "\"");
        }
      } else {
        otherGranted += granted ? 1 : 0;
      }
    }
    // Exactly the narrow limit of the 100 team requests; every one of the 50 others fits.
    assertThat(teamGranted).isEqualTo(10);
    assertThat(otherGranted).isEqualTo(50);
    assertThat(narrowMax).isLessThanOrEqualTo(new BigDecimal("10"));
    assertThat(load.used(narrow)).isEqualByComparingTo("10");
    // The wide budget still has room: it was never what denied.
    assertThat(load.used(wide)).isEqualByComparingTo("60");
  }
}
