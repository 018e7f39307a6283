package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.MutableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which budgets a reserve counts against, at the edges of the scope-pair index: every scope pair
 * must be among the request's keys, an empty scope matches everything, and a changed or archived
 * budget matches as it is now on the very next call.
 */
@QuarkusTest
class ScopeMatchingTests {

  /** Pinned at noon: the daily budgets below never roll over mid-test. */
  private MutableClock clock;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void anEmptyScopeMatchesEveryRequestUntilArchived() {
    String category = uniqueCategory();
    String everything = createBudget(category + "-all", Map.of(), "daily", "1000");

    assertThat(matched(Map.of("category", category))).contains(everything);
    assertThat(matched(Map.of("labels", Map.of("region", category)))).contains(everything);
    assertThat(matched(Map.of())).contains(everything);

    as("operator").delete("/api/v1/budgets/" + everything).then().statusCode(200);

    assertThat(matched(Map.of("category", category))).doesNotContain(everything);
  }

  @Test
  void aScopeOfTwoPairsMatchesOnlyRequestsCarryingBoth() {
    String category = uniqueCategory();
    String team = "team-" + category;
    String both =
        createBudget(category, Map.of("category", category, "team", team), "daily", "100");

    assertThat(matched(Map.of("category", category))).doesNotContain(both);
    assertThat(matched(Map.of("team", team))).doesNotContain(both);
    assertThat(matched(Map.of("category", category, "team", "other-" + team))).doesNotContain(both);
    assertThat(matched(Map.of("category", category, "team", team))).contains(both);
    assertThat(
            matched(
                Map.of(
                    "category",
                    category,
                    "team",
                    team,
                    "operation",
                    "summarise",
                    "labels",
                    Map.of("region", "eu"))))
        .as("extra pairs in the request do not matter")
        .contains(both);
  }

  @Test
  void theSameValueUnderAnotherKeyDoesNotMatch() {
    String value = uniqueCategory();
    String byTeam = createBudget(value + "-team", Map.of("team", value), "daily", "100");
    String byLabel = createBudget(value + "-region", Map.of("region", value), "daily", "100");

    assertThat(matched(Map.of("category", value, "operation", value)))
        .doesNotContain(byTeam, byLabel);
    assertThat(matched(Map.of("labels", Map.of("team-name", value)))).doesNotContain(byTeam);
    assertThat(matched(Map.of("team", value))).contains(byTeam).doesNotContain(byLabel);
    assertThat(matched(Map.of("labels", Map.of("region", value))))
        .contains(byLabel)
        .doesNotContain(byTeam);
  }

  @Test
  void aChangedScopeMatchesAsItIsNowOnTheNextCall() {
    String category = uniqueCategory();
    String team = "team-" + category;
    String budget = createBudget(category, Map.of("category", category), "daily", "100");
    assertThat(matched(Map.of("category", category))).contains(budget);

    replaceScope(budget, category, Map.of("category", category, "team", team));

    assertThat(matched(Map.of("category", category))).doesNotContain(budget);
    assertThat(matched(Map.of("category", category, "team", team))).contains(budget);

    replaceScope(budget, category, Map.of("team", team));

    assertThat(matched(Map.of("category", category))).doesNotContain(budget);
    assertThat(matched(Map.of("team", team))).contains(budget);

    replaceScope(budget, category, Map.of());

    assertThat(matched(Map.of("category", "anything-" + category))).contains(budget);
    as("operator").delete("/api/v1/budgets/" + budget).then().statusCode(200);
  }

  /** Ids of the budgets a granted reserve of 0.01 USD with these fields was held in. */
  private static List<String> matched(Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("estimateUsd", "0.01");
    return reserve(UUID.randomUUID().toString(), body)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("budgets.budgetId", String.class);
  }

  private static void replaceScope(String id, String name, Map<String, String> scope) {
    as("operator")
        .body(Map.of("name", name, "scope", scope, "period", "daily", "limitUsd", "100"))
        .put("/api/v1/budgets/" + id)
        .then()
        .statusCode(200);
  }
}
