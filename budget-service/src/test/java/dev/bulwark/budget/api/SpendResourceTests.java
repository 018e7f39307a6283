package dev.bulwark.budget.api;

import static dev.bulwark.budget.BudgetApi.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SpendResourceTests {

  @TestHTTPResource(value = "/openapi", management = true)
  URL openapi;

  @Test
  void openApiStillTypesTheParametersTakenAsText() {
    String spend = "paths.'/api/v1/spend'.get.parameters.find { it.name == '%s' }.schema.format";
    String budget = "paths.'/api/v1/budgets/{id}'.get.parameters.find { it.name == 'id' }.schema";
    RestAssured.given()
        .queryParam("format", "json")
        .get(openapi)
        .then()
        .statusCode(200)
        .body(spend.formatted("budgetId"), equalTo("uuid"))
        .body(spend.formatted("from"), equalTo("date-time"))
        .body(budget + ".format", equalTo("uuid"))
        .body(
            "paths.'/api/v1/budgets/{id}/periods'.get.parameters.find { it.name == 'limit' }"
                + ".schema.maximum",
            equalTo(1000));
  }

  @Test
  void malformedBudgetIdIsABadRequestThatNamesIt() {
    as("viewer")
        .get("/api/v1/spend?budgetId=not-a-uuid")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("budgetId"))
        .body("detail", containsString("not-a-uuid"));
  }

  @Test
  void malformedInstantsAreBadRequestsThatNameThem() {
    for (String parameter : new String[] {"from", "to"}) {
      as("viewer")
          .get("/api/v1/spend?" + parameter + "=yesterday")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo(parameter))
          .body("detail", containsString("ISO-8601"));
    }
  }

  @Test
  void unknownGroupingIsABadRequest() {
    as("viewer")
        .get("/api/v1/spend?groupBy=team,hour")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("groupBy"))
        .body("detail", containsString("'hour'"));
  }

  @Test
  void reversedOrTooLongRangesAreBadRequests() {
    as("viewer")
        .get("/api/v1/spend?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("from"));
    as("viewer")
        .get("/api/v1/spend?from=2025-01-01T00:00:00Z&to=2026-11-01T00:00:00Z")
        .then()
        .statusCode(400)
        .body("detail", containsString("400 days"));
  }

  @Test
  void anUnknownButWellFormedBudgetIdHasNoSpend() {
    as("viewer")
        .get("/api/v1/spend?groupBy=Budget&budgetId=" + UUID.randomUUID())
        .then()
        .statusCode(200)
        .body("groupBy[0]", equalTo("budget"))
        .body("totalUsd", equalTo(0.0f))
        .body("groups.size()", equalTo(0));
  }
}
