package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.events;
import static dev.bulwark.failover.FailoverApi.role;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.testing.MutableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cooldown (5m): a group that just failed over does not fail over again until it has passed. */
@QuarkusTest
class CooldownTests {

  @InjectPipeline Pipeline pipeline;

  private final MutableClock clock = MutableClock.todayAtNoon();

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  private static int failures(JsonPath view, String member) {
    return view.getInt("members.find { it.name == '" + member + "' }.consecutiveFailures");
  }

  @Test
  void aSecondFailoverWaitsForTheCooldownAfterTheFirst() {
    awaitGroup(
        "cooldown",
        "two standbys",
        v -> "standby".equals(role(v, "node2")) && "standby".equals(role(v, "node3")));
    pipeline.member("cooldown", "node1").crash();
    JsonPath first = awaitGroup("cooldown", "first failover", v -> v.getLong("epoch") == 1);
    String promoted = first.getString("primary");
    assertThat(promoted).isIn("node2", "node3");
    String remaining = promoted.equals("node2") ? "node3" : "node2";

    pipeline.member("cooldown", promoted).crash();

    // Well past the threshold, within the cooldown: the group waits, saying so.
    JsonPath waiting =
        awaitGroup("cooldown", "new primary failing", v -> failures(v, promoted) >= 10);
    assertThat(waiting.getLong("epoch")).isEqualTo(1);
    assertThat(waiting.getString("primary")).isEqualTo(promoted);
    assertThat(waiting.getString("state")).isEqualTo("failing");
    assertThat(pipeline.member("cooldown", remaining).isInRecovery()).isTrue();

    clock.advance(Duration.ofMinutes(5).plusSeconds(1));

    JsonPath second =
        awaitGroup("cooldown", "second failover", v -> remaining.equals(v.getString("primary")));
    assertThat(second.getLong("epoch")).isEqualTo(2);
    assertThat(events("cooldown")).filteredOn(e -> "promoted".equals(e.get("kind"))).hasSize(2);
  }
}
