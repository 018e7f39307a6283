package dev.bulwark.budget;

import static io.restassured.RestAssured.given;

import dev.bulwark.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Test helpers that speak to budget-service over HTTP as a given role. */
public final class BudgetApi {

  private BudgetApi() {}

  public static RequestSpecification as(String role) {
    return given().auth().oauth2(TestJwt.token(role)).contentType(ContentType.JSON);
  }

  /** A category no other test uses, so budgets and spend of one test never meet another's. */
  public static String uniqueCategory() {
    return "test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates an enforcing budget (not exported) and returns its id. */
  public static String createBudget(
      String name, Map<String, String> scope, String period, String limitUsd) {
    return createBudget(name, scope, period, limitUsd, false);
  }

  /** Creates an enforcing budget, exported (with gauges of its own) or not, and returns its id. */
  public static String createBudget(
      String name, Map<String, String> scope, String period, String limitUsd, boolean exported) {
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
                limitUsd,
                "exported",
                exported))
        .post("/api/v1/budgets")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public static io.restassured.response.Response reserve(String key, Map<String, Object> body) {
    return as("pipeline").header("Idempotency-Key", key).body(body).post("/api/v1/reservations");
  }
}
