package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Among thousands of budgets that match nothing, concurrent reserves are held exactly in the few
 * they match: the index of scope pairs finds those, and only those, under load.
 */
@QuarkusTest
class ManyBudgetsConcurrencyTests {

  private static final int NON_MATCHING = 2000;

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource("/api/v1/reservations")
  URL reservations;

  /** Pinned at noon: the daily budgets below never roll over mid-test, whatever the hour. */
  private MutableClock clock;

  private GateLoad load;
  private String prefix;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
    load = new GateLoad(reservations, postgres);
  }

  @AfterEach
  void archiveTheBudgets() {
    // Thousands of live budgets would weigh on the tests that list budgets or scrape their gauges.
    if (prefix != null) {
      postgres
          .primary()
          .execute(
              "UPDATE budget.budget SET archived_at = now() WHERE archived_at IS NULL AND name LIKE '"
                  + prefix
                  + "-%'");
    }
  }

  @Test
  void theMatchedBudgetsGrantExactlyTheirLimitsAmongThousands() throws Exception {
    String category = uniqueCategory();
    prefix = category;
    String teamA = "team-" + category;
    String operationB = "op-" + category;
    // Budgets a request must not count against, with a limit no reserve below fits in: one more
    // budget wrongly matched would deny. The near miss shares the category pair only; the cross
    // key carries the category's value under another key.
    postgres
        .primary()
        .execute(
            """
            INSERT INTO budget.budget (id, name, scope, period, limit_usd, mode)
            SELECT gen_random_uuid(), '%1$s-t' || i, jsonb_build_object('team', '%1$s-t' || i),
                   'daily', 0.5, 'enforce'
              FROM generate_series(1, %2$d) AS i"""
                .formatted(category, NON_MATCHING));
    createBudget(
        category + "-near", Map.of("category", category, "team", category + "-t1"), "daily", "0.5");
    createBudget(category + "-cross", Map.of("team", category), "daily", "0.5");
    String wide = createBudget(category + "-wide", Map.of("category", category), "daily", "1000");
    String narrowA =
        createBudget(category + "-a", Map.of("category", category, "team", teamA), "daily", "12");
    String narrowB =
        createBudget(
            category + "-b", Map.of("category", category, "operation", operationB), "daily", "20");

    String teamBody =
        "{\"category\":\"" + category + "\",\"team\":\"" + teamA + "\",\"estimateUsd\":1}";
    String operationBody =
        "{\"category\":\""
            + category
            + "\",\"operation\":\""
            + operationB
            + "\",\"estimateUsd\":1}";
    String plainBody = "{\"category\":\"" + category + "\",\"estimateUsd\":1}";
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      // 90 for team A, 90 for operation B, 60 for the category alone, interleaved.
      int slot = i % 8;
      bodies.add(slot >= 6 ? plainBody : slot % 2 == 0 ? teamBody : operationBody);
    }
    String token = TestJwt.token("pipeline");
    AtomicReferenceArray<HttpResponse<String>> responses =
        new AtomicReferenceArray<>(bodies.size());
    List<Runnable> calls = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      int at = i;
      calls.add(() -> responses.set(at, load.send(bodies.get(at), token)));
    }

    UsageSampler samplerA = UsageSampler.start(postgres, narrowA);
    UsageSampler samplerB = UsageSampler.start(postgres, narrowB);
    GateLoad.runTogether(calls, 32);
    BigDecimal maxA = samplerA.stop();
    BigDecimal maxB = samplerB.stop();

    int[] granted = new int[3];
    int denied = 0;
    for (int i = 0; i < bodies.size(); i++) {
      HttpResponse<String> response = responses.get(i);
      assertThat(response.statusCode()).isEqualTo(200);
      JsonPath decision = JsonPath.from(response.body());
      List<String> ours =
          decision.getList("budgets.name", String.class).stream()
              .filter(name -> name.startsWith(category))
              .toList();
      String body = bodies.get(i);
      int kind = body.equals(teamBody) ? 0 : body.equals(operationBody) ? 1 : 2;
      // A grant lists every budget matched, in name order (-a and -b sort before -wide); a denial
      // only the one that denied.
      assertThat(ours)
          .as("budgets listed for %s", body)
          .containsExactlyElementsOf(
              !decision.getBoolean("granted")
                  ? List.of(category + (kind == 0 ? "-a" : "-b"))
                  : switch (kind) {
                    case 0 -> List.of(category + "-a", category + "-wide");
                    case 1 -> List.of(category + "-b", category + "-wide");
                    default -> List.of(category + "-wide");
                  });
      if (decision.getBoolean("granted")) {
        granted[kind]++;
      } else {
        denied++;
        assertThat(kind).as("the category alone always fits").isNotEqualTo(2);
        assertThat(decision.getString("deniedBy.budgetId"))
            .isEqualTo(kind == 0 ? narrowA : narrowB);
      }
    }
    // Exactly each narrow limit, and every request that only the wide budget limits.
    assertThat(granted).containsExactly(12, 20, 60);
    assertThat(denied).isEqualTo(148);
    assertThat(maxA).isLessThanOrEqualTo(new BigDecimal("12"));
    assertThat(maxB).isLessThanOrEqualTo(new BigDecimal("20"));
    assertThat(load.used(narrowA)).isEqualByComparingTo("12");
    assertThat(load.used(narrowB)).isEqualByComparingTo("20");
    assertThat(load.used(wide)).isEqualByComparingTo("92");
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM budget.budget_period p JOIN budget.budget b ON b.id = p.budget_id"
                        + " WHERE b.name LIKE '"
                        + category
                        + "-t%' OR b.name IN ('"
                        + category
                        + "-near', '"
                        + category
                        + "-cross')"))
        .as("no period was ever opened for a budget no request matches")
        .isEqualTo("0");
  }
}
