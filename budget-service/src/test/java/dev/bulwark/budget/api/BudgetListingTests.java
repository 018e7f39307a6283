package dev.bulwark.budget.api;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.testing.MutableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BudgetListingTests {

  /** Pinned at noon: the daily budgets below keep one period for the whole test. */
  private final MutableClock clock = MutableClock.todayAtNoon();

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void pagesWalkEveryBudgetOnceByNameWithTheNextPageInTheLinkHeader() {
    String p = uniqueCategory();
    for (String suffix : List.of("c", "a", "e", "b", "d")) {
      createBudget(p + "-" + suffix, Map.of("category", p), "daily", "10");
    }

    Response first = as("viewer").get("/api/v1/budgets?namePrefix=" + p + "&limit=2");
    first.then().statusCode(200);
    assertThat(names(first)).containsExactly(p + "-a", p + "-b");
    String cursor = first.path("nextCursor");
    assertThat(first.header("Link"))
        .isEqualTo(
            "</api/v1/budgets?namePrefix=" + p + "&limit=2&cursor=" + cursor + ">; rel=\"next\"");

    Response second = as("viewer").get(next(first));
    second.then().statusCode(200);
    assertThat(names(second)).containsExactly(p + "-c", p + "-d");

    Response last = as("viewer").get(next(second));
    last.then().statusCode(200).body("nextCursor", nullValue());
    assertThat(names(last)).containsExactly(p + "-e");
    assertThat(last.header("Link")).isNull();
  }

  @Test
  void filtersSelectByScopeModePeriodExportedAndState() {
    String p = uniqueCategory();
    String g = p + "g";
    createBudget(p + "-llm", Map.of("category", p, "team", "t1"), "daily", "10");
    create(p + "-gpu", Map.of("category", g), "weekly", "observe", true);
    createBudget(p + "-team", Map.of("team", p), "daily", "10");

    assertThat(page(p, "&scopeKey=team&scopeValue=t1")).containsExactly(p + "-llm");
    assertThat(page(p, "&scopeKey=team")).containsExactly(p + "-llm", p + "-team");
    assertThat(page(p, "&scopeKey=category&scopeValue=" + g)).containsExactly(p + "-gpu");
    assertThat(page(p, "&mode=observe")).containsExactly(p + "-gpu");
    assertThat(page(p, "&mode=enforce")).containsExactly(p + "-llm", p + "-team");
    assertThat(page(p, "&exported=true")).containsExactly(p + "-gpu");
    assertThat(page(p, "&exported=false")).containsExactly(p + "-llm", p + "-team");
    assertThat(page(p, "&period=weekly")).containsExactly(p + "-gpu");
    assertThat(page(p, "&state=under")).containsExactly(p + "-gpu", p + "-llm", p + "-team");

    // 8.5 of 10 is past the soft limit (8); 12 of 10 in observe mode is past the hard one.
    reserve(UUID.randomUUID().toString(), Map.of("category", p, "team", "t1", "estimateUsd", 8.5))
        .then()
        .body("granted", equalTo(true));
    reserve(UUID.randomUUID().toString(), Map.of("category", g, "estimateUsd", 12))
        .then()
        .log()
        .ifValidationFails()
        .body("granted", equalTo(true));

    assertThat(page(p, "&state=under")).containsExactly(p + "-team");
    assertThat(page(p, "&state=soft-limit-crossed")).containsExactly(p + "-llm");
    assertThat(page(p, "&state=at-limit")).containsExactly(p + "-gpu");
    assertThat(page(p, "&state=over-soft")).containsExactly(p + "-gpu", p + "-llm");
    assertThat(page(p, "&state=over-soft&mode=enforce&scopeKey=team&scopeValue=t1"))
        .containsExactly(p + "-llm");
    as("viewer")
        .get("/api/v1/budgets?namePrefix=" + p + "&state=over-soft")
        .then()
        .body("budgets[0].current.heldUsd", equalTo(12.0f))
        .body("budgets[1].current.heldUsd", equalTo(8.5f))
        .body("budgets[1].current.softLimitCrossed", equalTo(true));
  }

  @Test
  void aCursorThatIsNotOursOrWasMadeForOtherFiltersIsABadRequestNamingIt() {
    String p = uniqueCategory();
    createBudget(p + "-a", Map.of("category", p), "daily", "10");
    createBudget(p + "-b", Map.of("category", p), "daily", "10");
    String cursor =
        as("viewer").get("/api/v1/budgets?namePrefix=" + p + "&limit=1").path("nextCursor");
    String notOurs = base64("hello\nworld");
    String noId = base64("b1\nDxAJyUz_88GU0Ol3\nnot-a-uuid\n" + p + "-a");

    for (String bad : List.of("not*base64", notOurs, noId)) {
      as("viewer")
          .get("/api/v1/budgets?namePrefix=" + p + "&limit=1&cursor=" + bad)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("cursor"))
          .body("detail", containsString("start again without a cursor"));
    }
    for (String otherFilters :
        List.of("namePrefix=" + p + "-a&", "namePrefix=" + p + "&mode=enforce&", "")) {
      as("viewer")
          .get("/api/v1/budgets?" + otherFilters + "limit=1&cursor=" + cursor)
          .then()
          .statusCode(400)
          .body("errors[0].field", equalTo("cursor"))
          .body("detail", containsString("other filters"));
    }
    as("viewer")
        .get("/api/v1/budgets?namePrefix=" + p + "&limit=5&cursor=" + cursor)
        .then()
        .statusCode(200)
        .body("budgets.name", equalTo(List.of(p + "-b")));
  }

  @Test
  void badParametersAreBadRequestsThatNameThem() {
    Map<String, String> bad =
        Map.of(
            "limit=0", "limit",
            "limit=501", "limit",
            "limit=ten", "limit",
            "state=over", "state",
            "mode=strict", "mode",
            "period=hourly", "period",
            "exported=yes", "exported",
            "namePrefix=a%20b", "namePrefix",
            "scopeKey=Team", "scopeKey",
            "scopeValue=t1", "scopeValue");
    bad.forEach(
        (query, parameter) ->
            as("viewer")
                .get("/api/v1/budgets?" + query)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(parameter)));
    as("viewer").get("/api/v1/budgets?limit=500").then().statusCode(200);
  }

  @Test
  void exportedIsSetOnCreateAndKeptByAnUpdateThatLeavesItOut() {
    String p = uniqueCategory();
    String id = create(p, Map.of("category", p), "daily", "enforce", true);
    as("viewer").get("/api/v1/budgets/" + id).then().body("exported", equalTo(true));

    Map<String, Object> definition =
        Map.of("name", p, "scope", Map.of("category", p), "period", "daily", "limitUsd", 20);
    as("operator")
        .body(definition)
        .put("/api/v1/budgets/" + id)
        .then()
        .statusCode(200)
        .body("limitUsd", equalTo(20.0f))
        .body("exported", equalTo(true));
    as("operator")
        .body(
            Map.of(
                "name",
                p,
                "scope",
                Map.of("category", p),
                "period",
                "daily",
                "limitUsd",
                20,
                "exported",
                false))
        .put("/api/v1/budgets/" + id)
        .then()
        .statusCode(200)
        .body("exported", equalTo(false));
    as("operator")
        .body(
            Map.of(
                "name", p + "-x", "scope", Map.of("category", p), "period", "daily", "limitUsd", 1))
        .post("/api/v1/budgets")
        .then()
        .statusCode(201)
        .body("exported", equalTo(false));
  }

  private static String create(
      String name, Map<String, String> scope, String period, String mode, boolean exported) {
    return as("operator")
        .body(
            Map.of(
                "name",
                name,
                "scope",
                scope,
                "period",
                period,
                "limitUsd",
                10,
                "mode",
                mode,
                "exported",
                exported))
        .post("/api/v1/budgets")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** The names of the one page of budgets starting with {@code prefix} under more filters. */
  private static List<String> page(String prefix, String filters) {
    Response page = as("viewer").get("/api/v1/budgets?namePrefix=" + prefix + filters);
    page.then().statusCode(200).body("nextCursor", nullValue());
    return names(page);
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> names(Response page) {
    return page.path("budgets.name");
  }

  /** The URL of the page's Link rel="next", as the client would follow it. */
  private static String next(Response page) {
    String link = page.header("Link");
    assertThat(link).endsWith(">; rel=\"next\"");
    return link.substring(1, link.indexOf('>'));
  }
}
