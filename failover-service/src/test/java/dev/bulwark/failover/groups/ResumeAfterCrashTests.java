package dev.bulwark.failover.groups;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.events;
import static dev.bulwark.failover.FailoverApi.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A service killed after storing its intent and before (or during) pg_promote: whoever reads the
 * intent next, at start or at its next check, promotes the same candidate and no other.
 */
@QuarkusTest
class ResumeAfterCrashTests {

  @InjectPipeline Pipeline pipeline;
  @InjectPostgres PostgresCluster ownStore;

  @Test
  void aStoredIntentIsFinishedWithItsOwnCandidateAndTheOldPrimaryFenced() {
    awaitGroup(
        "resume",
        "node1 primary, two standbys",
        v ->
            "node1".equals(v.getString("primary"))
                && "standby".equals(role(v, "node2"))
                && "standby".equals(role(v, "node3")));

    // What a service leaves when killed mid-failover: epoch taken, node3 chosen, nothing promoted.
    // node2 would be chosen afresh (equal lag, first by name), so only the intent names node3.
    ownStore
        .primary()
        .execute(
            """
            UPDATE failover.failover_group
            SET epoch = epoch + 1, intent_member = 'node3', intent_from = primary_member,
                intent_failures = 2, intent_lag_bytes = 0, intent_detected_at = now()
            WHERE group_name = 'resume'""");

    JsonPath done =
        awaitGroup("resume", "node3 promoted", v -> "node3".equals(v.getString("primary")));
    assertThat(done.getLong("epoch")).isEqualTo(1);
    assertThat(pipeline.member("resume", "node3").isInRecovery()).isFalse();
    assertThat(pipeline.member("resume", "node2").isInRecovery()).isTrue();
    assertThat(events("resume"))
        .filteredOn(e -> "promoted".equals(e.get("kind")))
        .singleElement()
        .satisfies(
            e -> assertThat(e).containsEntry("newPrimary", "node3").containsEntry("epoch", 1));
    // The old primary, alive and out of recovery, was fenced before node3 took writes.
    await("node1 read-only")
        .atMost(Duration.ofSeconds(30))
        // Fencing ends every client session, a poll's own included.
        .ignoreExceptions()
        .until(
            () ->
                "on"
                    .equals(
                        pipeline
                            .member("resume", "node1")
                            .queryValue("SHOW default_transaction_read_only")));
    assertThat(
            role(
                awaitGroup("resume", "node1 fenced", v -> "fenced".equals(role(v, "node1"))),
                "node1"))
        .isEqualTo("fenced");
  }
}
