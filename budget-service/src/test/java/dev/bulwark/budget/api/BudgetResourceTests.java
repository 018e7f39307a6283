package dev.bulwark.budget.api;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.bulwark.common.security.VerifiedTokens;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BudgetResourceTests {

  @Inject VerifiedTokens verifiedTokens;

  @Test
  void operatorCreatesAndReadsABudgetWithItsCurrentPeriod() {
    String category = uniqueCategory();
    String id =
        as("operator")
            .body(
                Map.of(
                    "name",
                    category + "-daily",
                    "scope",
                    Map.of("category", category),
                    "period",
                    "daily",
                    "timeZone",
                    "Europe/Berlin",
                    "limitUsd",
                    12.5,
                    "softRatio",
                    0.5))
            .post("/api/v1/budgets")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/budgets/"))
            .body("mode", equalTo("enforce"))
            .body("softLimitUsd", equalTo(6.25f))
            .extract()
            .path("id");

    as("viewer")
        .get("/api/v1/budgets/" + id)
        .then()
        .statusCode(200)
        .body("scope.category", equalTo(category))
        .body("timeZone", equalTo("Europe/Berlin"))
        .body("current.limitUsd", equalTo(12.5f))
        .body("current.spentUsd", equalTo(0.0f))
        .body("current.remainingUsd", equalTo(12.5f))
        .body("current.start", notNullValue())
        .body("current.end", notNullValue());
  }

  @Test
  void updateChangesTheLimitAndArchiveHidesTheBudgetFromTheList() {
    String category = uniqueCategory();
    String id = createBudget(category, Map.of("category", category), "monthly", "10");

    as("operator")
        .body(
            Map.of(
                "name",
                category,
                "scope",
                Map.of("category", category),
                "period",
                "monthly",
                "limitUsd",
                20,
                "mode",
                "observe"))
        .put("/api/v1/budgets/" + id)
        .then()
        .statusCode(200)
        .body("limitUsd", equalTo(20.0f))
        .body("mode", equalTo("observe"));
    as("operator")
        .delete("/api/v1/budgets/" + id)
        .then()
        .statusCode(200)
        .body("archivedAt", notNullValue());

    as("viewer")
        .get("/api/v1/budgets?namePrefix=" + category)
        .then()
        .statusCode(200)
        .body("budgets.id", not(hasItem(id)));
    as("viewer")
        .get("/api/v1/budgets?includeArchived=true&namePrefix=" + category)
        .then()
        .statusCode(200)
        .body("budgets.id", hasItem(id));
    as("viewer").get("/api/v1/budgets/" + id + "/periods").then().statusCode(200);
  }

  @Test
  void seedBudgetsExistOnAFreshInstallAndAreExported() {
    as("viewer")
        .get("/api/v1/budgets?exported=true")
        .then()
        .statusCode(200)
        .body("budgets.name", hasItems("monthly-total", "daily-llm", "daily-gpu"))
        .body("budgets.find { it.name == 'daily-llm' }.scope.category", equalTo("llm"))
        .body("budgets.find { it.name == 'daily-llm' }.exported", equalTo(true))
        .body("budgets.find { it.name == 'daily-gpu' }.period", equalTo("daily"));
  }

  @Test
  void invalidFieldsAreNamedInTheProblem() {
    as("operator")
        .body(Map.of("name", "", "period", "hourly", "limitUsd", -1))
        .post("/api/v1/budgets")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("period"));
    as("operator")
        .body(Map.of("name", " bad name", "period", "daily", "limitUsd", -1, "softRatio", 1.5))
        .post("/api/v1/budgets")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItems("name", "limitUsd", "softRatio"));
  }

  @Test
  void unknownTimeZoneIsRejected() {
    as("operator")
        .body(
            Map.of(
                "name",
                uniqueCategory(),
                "period",
                "daily",
                "limitUsd",
                1,
                "timeZone",
                "Mars/Olympus"))
        .post("/api/v1/budgets")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("timeZone"));
  }

  @Test
  void duplicateLiveNameIsAConflict() {
    String name = uniqueCategory();
    // Scoped to a category of its own: an empty scope would gate every other test's reservations.
    createBudget(name, Map.of("category", name), "total", "1");

    as("operator")
        .body(
            Map.of(
                "name", name, "scope", Map.of("category", name), "period", "total", "limitUsd", 2))
        .post("/api/v1/budgets")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString(name));
  }

  @Test
  void unknownBudgetIsNotFound() {
    as("viewer")
        .get("/api/v1/budgets/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", containsString("budget-not-found"));
  }

  @Test
  void malformedPathIdsAreBadRequestsThatNameTheParameter() {
    String body =
        "{\"name\":\"x\",\"scope\":{\"category\":\"x\"},\"period\":\"daily\",\"limitUsd\":1}";
    as("viewer")
        .get("/api/v1/budgets/not-a-uuid")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("id"))
        .body("detail", containsString("not-a-uuid"));
    as("viewer")
        .get("/api/v1/budgets/not-a-uuid/periods")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
    as("operator")
        .body(body)
        .put("/api/v1/budgets/not-a-uuid")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
    as("operator")
        .delete("/api/v1/budgets/not-a-uuid")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
  }

  @Test
  void malformedQueryParametersAreBadRequestsThatNameTheParameter() {
    String id = createBudget(uniqueCategory(), Map.of("category", uniqueCategory()), "daily", "1");
    for (String limit : new String[] {"ten", "0", "1001"}) {
      as("viewer")
          .get("/api/v1/budgets/" + id + "/periods?limit=" + limit)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("limit"));
    }
    as("viewer").get("/api/v1/budgets/" + id + "/periods?limit=1000").then().statusCode(200);
    as("viewer")
        .get("/api/v1/budgets?includeArchived=yes")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("includeArchived"));
  }

  @Test
  void malformedJsonAndUnknownFieldsAreBadRequests() {
    as("operator")
        .body("{\"name\": \"x\", ")
        .post("/api/v1/budgets")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("title", equalTo("Malformed JSON"));
    as("operator")
        .body(Map.of("name", "x", "period", "daily", "limitUsd", 1, "limit", 5))
        .post("/api/v1/budgets")
        .then()
        .statusCode(400)
        .log()
        .ifValidationFails()
        .body("errors[0].field", equalTo("limit"));
    as("operator")
        .body(Map.of("name", "x", "period", "daily", "limitUsd", "ten"))
        .post("/api/v1/budgets")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limitUsd"));
  }

  @Test
  void missingExpiredOrForeignTokensAreUnauthorized() {
    given()
        .get("/api/v1/budgets")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Bearer");
    given()
        .auth()
        .oauth2(TestJwt.expiredToken("operator"))
        .get("/api/v1/budgets")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(TestJwt.foreignToken("operator"))
        .get("/api/v1/budgets")
        .then()
        .statusCode(401);
    given().auth().oauth2("not-a-jwt").get("/api/v1/budgets").then().statusCode(401);
  }

  @Test
  void aTokenIsVerifiedOnceThenServedFromTheCache() {
    String token = TestJwt.token("viewer");
    assertThat(verifiedTokens.holds(token)).isFalse();
    given().auth().oauth2(token).get("/api/v1/budgets").then().statusCode(200);
    assertThat(verifiedTokens.holds(token)).isTrue();
    given().auth().oauth2(token).get("/api/v1/budgets").then().statusCode(200);

    String expired = TestJwt.expiredToken("viewer");
    given().auth().oauth2(expired).get("/api/v1/budgets").then().statusCode(401);
    assertThat(verifiedTokens.holds(expired)).isFalse();
  }

  @Test
  void wrongRoleIsForbidden() {
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "period", "daily", "limitUsd", 1))
        .post("/api/v1/budgets")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("status", equalTo(403));
  }

  @Test
  void everyResponseCarriesARequestId() {
    as("viewer")
        .header("X-Request-Id", "abc-123")
        .get("/api/v1/budgets")
        .then()
        .header("X-Request-Id", "abc-123");
    given().get("/api/v1/budgets").then().statusCode(401).body("requestId", notNullValue());
  }
}
