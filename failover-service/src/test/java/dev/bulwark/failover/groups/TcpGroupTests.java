package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.role;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** A tcp group: a member is up when it accepts a connection; the first by name starts primary. */
@QuarkusTest
class TcpGroupTests {

  @Test
  void membersThatAcceptConnectionsAreUpAndTheFirstIsPrimary() {
    JsonPath view =
        awaitGroup(
            "tcp",
            "both members checked",
            v ->
                "node1".equals(v.getString("primary"))
                    && Boolean.TRUE.equals(v.getBoolean("members.find { it.name == 'node2' }.up")));
    assertThat(view.getString("kind")).isEqualTo("tcp");
    assertThat(role(view, "node1")).isEqualTo("primary");
    assertThat(role(view, "node2")).isEqualTo("standby");
    given().get("/api/v1/groups/tcp/members/node1/primary").then().statusCode(200);
    given().get("/api/v1/groups/tcp/members/node2/standby").then().statusCode(200);
    given().get("/api/v1/groups/tcp/members/node2/primary").then().statusCode(503);
  }
}
