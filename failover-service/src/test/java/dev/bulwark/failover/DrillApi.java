package dev.bulwark.failover;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.role;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.common.security.Roles;
import dev.bulwark.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;

/** REST calls of the drills API that tests share, on the pairs of {@link PipelinePairs}. */
public final class DrillApi {

  private DrillApi() {}

  /** Waits until the pair of {@code group} is back to node1 primary, node2 standby, healthy. */
  public static void awaitHealthyPair(String group) {
    awaitGroup(
        group,
        "node1 primary, node2 standby, healthy",
        v ->
            "node1".equals(v.getString("primary"))
                && "standby".equals(role(v, "node2"))
                && "healthy".equals(v.getString("state")));
  }

  /** Asks for a drill of {@code kind} with a token of {@code role}; the answer unchecked. */
  public static Response request(String group, String role, String kind) {
    return given()
        .auth()
        .oauth2(TestJwt.token(role))
        .contentType(ContentType.JSON)
        .body("{\"kind\":\"" + kind + "\"}")
        .post("/api/v1/groups/" + group + "/drills");
  }

  /** Starts a drill as an operator, asserting 202; its id. */
  public static long start(String group, String kind) {
    return request(group, Roles.OPERATOR, kind)
        .then()
        .statusCode(202)
        .extract()
        .jsonPath()
        .getLong("id");
  }

  /** Waits until the drill has finished, asserts that it succeeded, and returns its view. */
  public static JsonPath awaitSucceeded(String group, long id) {
    JsonPath drill = awaitFinished(group, id);
    assertThat(drill.getString("error")).isNull();
    assertThat(drill.getString("state")).isEqualTo("succeeded");
    return drill;
  }

  /** Waits until the drill is no longer running; its view. */
  public static JsonPath awaitFinished(String group, long id) {
    JsonPath[] last = new JsonPath[1];
    await("drill " + id + " of " + group + " finished")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last[0] =
                  asViewer("/api/v1/groups/" + group + "/drills/" + id)
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              return !"running".equals(last[0].getString("state"));
            });
    return last[0];
  }

  /** GET {@code path} with a viewer's token; the answer unchecked. */
  public static Response asViewer(String path) {
    return given().auth().oauth2(TestJwt.token(Roles.VIEWER)).get(path);
  }
}
