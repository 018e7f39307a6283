package dev.bulwark.failover;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.common.security.Roles;
import dev.bulwark.testing.TestJwt;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** REST calls of the groups API that tests share. */
public final class FailoverApi {

  private FailoverApi() {}

  public static JsonPath group(String group) {
    return given()
        .auth()
        .oauth2(TestJwt.token(Roles.VIEWER))
        .get("/api/v1/groups/" + group)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  public static Map<String, Object> member(String group, String member) {
    return group(group).getMap("members.find { it.name == '" + member + "' }");
  }

  public static List<Map<String, Object>> events(String group) {
    return given()
        .auth()
        .oauth2(TestJwt.token(Roles.VIEWER))
        .get("/api/v1/groups/" + group + "/events")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("events");
  }

  /** Waits until the group's view satisfies {@code condition}; returns that view. */
  public static JsonPath awaitGroup(String group, String what, Predicate<JsonPath> condition) {
    JsonPath[] last = new JsonPath[1];
    await(group + ": " + what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              last[0] = group(group);
              return condition.test(last[0]);
            });
    return last[0];
  }

  /** Waits until the group shows node1 as primary and node2 as its standby, as the pairs start. */
  public static JsonPath awaitPair(String group) {
    return awaitGroup(
        group,
        "node1 primary, node2 standby",
        v -> "node1".equals(v.getString("primary")) && "standby".equals(role(v, "node2")));
  }

  public static String role(JsonPath view, String member) {
    return view.getString("members.find { it.name == '" + member + "' }.role");
  }
}
