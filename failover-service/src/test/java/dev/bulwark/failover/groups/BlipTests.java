package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.events;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.failover.checks.PostgresCheck;
import dev.bulwark.testing.PostgresNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** A single failed check of the primary is noise, not an outage: the threshold exists for it. */
@QuarkusTest
class BlipTests {

  @InjectPipeline Pipeline pipeline;

  private static int failures(JsonPath view, String member) {
    return view.getInt("members.find { it.name == '" + member + "' }.consecutiveFailures");
  }

  @Test
  void oneFailedCheckFollowedByASuccessDoesNothing() {
    PostgresNode primary = pipeline.member("blip", "node1");
    JsonPath before =
        awaitGroup(
            "blip",
            "node1 primary and checked fine",
            v ->
                "node1".equals(v.getString("primary"))
                    && failures(v, "node1") == 0
                    && v.getString("members.find { it.name == 'node1' }.lastCheckAt") != null);

    // Ends the session the service checks node1 on (period 1 s): its next check fails on the
    // dead connection, and the one after reconnects, so exactly one check fails.
    assertThat(
            primary.queryValue(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE"
                    + " application_name = '"
                    + PostgresCheck.APPLICATION_NAME
                    + "'"))
        .isEqualTo("1");

    JsonPath failing = awaitGroup("blip", "one failed check", v -> failures(v, "node1") == 1);
    assertThat(failing.getString("state")).isEqualTo("failing");
    JsonPath recovered =
        awaitGroup(
            "blip",
            "a successful check again",
            v ->
                failures(v, "node1") == 0
                    && Boolean.TRUE.equals(v.getBoolean("members.find { it.name == 'node1' }.up")));

    assertThat(recovered.getString("primary")).isEqualTo("node1");
    assertThat(recovered.getLong("epoch")).isEqualTo(before.getLong("epoch"));
    assertThat(recovered.getString("state")).isIn("healthy", "paused");
    assertThat(events("blip"))
        .extracting(e -> e.get("kind"))
        .doesNotContain("promoted", "refused-lag", "refused-no-standby", "failed");
    assertThat(pipeline.member("blip", "node2").isInRecovery()).isTrue();
  }
}
