package dev.bulwark.failover.api;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.role;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.bulwark.common.security.Roles;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The groups API on live pairs: views, load-balancer probes, pause and resume, events. */
@QuarkusTest
class GroupResourceTests {

  @Test
  void reportsEachGroupWithItsPrimaryAndStandbyFromTheirChecks() {
    JsonPath view =
        awaitGroup(
            "blip",
            "both members checked",
            v -> "node1".equals(v.getString("primary")) && "standby".equals(role(v, "node2")));

    assertThat(view.getString("kind")).isEqualTo("postgres");
    assertThat(view.getString("state")).isEqualTo("healthy");
    assertThat(role(view, "node1")).isEqualTo("primary");
    assertThat(view.getBoolean("members.find { it.name == 'node1' }.up")).isTrue();
    assertThat(view.getInt("members.find { it.name == 'node1' }.consecutiveFailures")).isZero();
    assertThat(view.getLong("members.find { it.name == 'node2' }.lagBytes"))
        .isGreaterThanOrEqualTo(0);
    assertThat(view.getString("members.find { it.name == 'node2' }.lastCheckAt")).isNotBlank();
    given()
        .auth()
        .oauth2(TestJwt.token(Roles.VIEWER))
        .get("/api/v1/groups")
        .then()
        .statusCode(200)
        .body("group", hasItems("blip", "crash", "lagging", "twin", "resume", "store"));
  }

  @Test
  void probesAnswer200OnlyForTheRoleTheMemberHolds() {
    awaitGroup("blip", "roles known", v -> "standby".equals(role(v, "node2")));

    given()
        .get("/api/v1/groups/blip/members/node1/primary")
        .then()
        .statusCode(200)
        .body("role", equalTo("primary"))
        .body("member", equalTo("node1"));
    given().get("/api/v1/groups/blip/members/node1/standby").then().statusCode(503);
    given()
        .get("/api/v1/groups/blip/members/node2/standby")
        .then()
        .statusCode(200)
        .body("role", equalTo("standby"));
    given().get("/api/v1/groups/blip/members/node2/primary").then().statusCode(503);
  }

  @Test
  void unknownGroupOrMemberIsNotFound() {
    given()
        .auth()
        .oauth2(TestJwt.token(Roles.VIEWER))
        .get("/api/v1/groups/nope")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bulwark.dev/problems/group-not-found"));
    given()
        .get("/api/v1/groups/blip/members/nope/primary")
        .then()
        .statusCode(404)
        .body("type", equalTo("https://bulwark.dev/problems/member-not-found"));
    given().get("/api/v1/groups/nope/members/node1/standby").then().statusCode(404);
  }

  @Test
  void readingNeedsAViewerTokenAndPausingAnOperatorToken() {
    given().get("/api/v1/groups/blip").then().statusCode(401);
    given()
        .auth()
        .oauth2(TestJwt.token(Roles.VIEWER))
        .post("/api/v1/groups/blip/pause")
        .then()
        .statusCode(403);
  }

  @Test
  void pauseAndResumeAreStoredAndListedAsEventsNewestFirstPageByPage() {
    awaitGroup("blip", "initialized", v -> v.getString("primary") != null);
    String operator = TestJwt.token(Roles.OPERATOR);

    given()
        .auth()
        .oauth2(operator)
        .post("/api/v1/groups/blip/pause")
        .then()
        .statusCode(200)
        .body("paused", equalTo(true))
        .body("state", equalTo("paused"));
    awaitGroup("blip", "paused in the view", v -> "paused".equals(v.getString("state")));
    given()
        .auth()
        .oauth2(operator)
        .post("/api/v1/groups/blip/resume")
        .then()
        .statusCode(200)
        .body("paused", equalTo(false));

    JsonPath first =
        given()
            .auth()
            .oauth2(operator)
            .queryParam("limit", 1)
            .get("/api/v1/groups/blip/events")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(first.getList("events.kind")).containsExactly("resumed");
    JsonPath second =
        given()
            .auth()
            .oauth2(operator)
            .queryParam("limit", 1)
            .queryParam("cursor", first.getString("nextCursor"))
            .get("/api/v1/groups/blip/events")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(second.getList("events.kind")).containsExactly("paused");
    assertThat(second.getLong("events[0].id")).isLessThan(first.getLong("events[0].id"));
  }

  @Test
  void aCursorWeDidNotIssueOrABadLimitIsA400NamingIt() {
    String viewer = TestJwt.token(Roles.VIEWER);
    given()
        .auth()
        .oauth2(viewer)
        .queryParam("cursor", "garbage")
        .get("/api/v1/groups/blip/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("cursor"));
    given()
        .auth()
        .oauth2(viewer)
        .queryParam("limit", "0")
        .get("/api/v1/groups/blip/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limit"));
    List<Object> none =
        given()
            .auth()
            .oauth2(viewer)
            .get("/api/v1/groups/crash/events?limit=500")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("events");
    assertThat(none).isNotNull();
  }
}
