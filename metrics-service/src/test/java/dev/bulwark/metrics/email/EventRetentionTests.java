package dev.bulwark.metrics.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.jobs.SingleReplicaJobs;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Default retention: raw events 30 days, rollups 400 days. */
@QuarkusTest
class EventRetentionTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Inject EventRetention retention;
  @Inject Scheduler scheduler;

  MutableClock clock = MutableClock.todayAtNoon();

  @BeforeEach
  void givenExpiredAndKeptRowsAtNoon() {
    // The test runs the job itself; a scheduled run in between would change what it counts.
    scheduler.pause(EventRetention.JOB);
    QuarkusMock.installMockForType(clock, Clock.class);
    postgres.primary().execute("TRUNCATE metrics.email_event, metrics.email_rollup");
    Instant now = clock.instant();
    event("expired", now.minus(Duration.ofDays(31)));
    event("kept", now.minus(Duration.ofDays(29)));
    rollup(now.minus(Duration.ofDays(401)));
    rollup(now.minus(Duration.ofDays(399)));
  }

  @AfterEach
  void resumeTheSchedule() {
    scheduler.resume(EventRetention.JOB);
  }

  @Test
  void prunesExpiredEventsAndRollupsAndCountsTheRun() {
    PrometheusText before = Scrapes.scrape(metrics);

    retention.prune().await().atMost(Duration.ofSeconds(10));

    assertThat(
            postgres
                .primary()
                .queryValue("SELECT string_agg(provider_event_id, ',') FROM metrics.email_event"))
        .isEqualTo("kept");
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_rollup"))
        .isEqualTo("1");
    PrometheusText after = Scrapes.scrape(metrics);
    assertThat(runs(after, "succeeded")).isEqualTo(runs(before, "succeeded") + 1);
    assertThat(after.value("bulwark_job_last_success_timestamp_seconds", "job", EventRetention.JOB))
        .hasValue(clock.instant().getEpochSecond());
  }

  @Test
  void skipsWhileAnotherReplicaHoldsTheJobsLock() throws Exception {
    PrometheusText before = Scrapes.scrape(metrics);
    try (Connection otherReplica = postgres.primary().connect("postgres");
        Statement lock = otherReplica.createStatement()) {
      lock.execute(
          "SELECT pg_advisory_lock(" + SingleReplicaJobs.lockKey(EventRetention.JOB) + ")");

      retention.prune().await().atMost(Duration.ofSeconds(10));

      assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
          .isEqualTo("2");
      PrometheusText skipped = Scrapes.scrape(metrics);
      assertThat(runs(skipped, "skipped")).isEqualTo(runs(before, "skipped") + 1);
      assertThat(runs(skipped, "succeeded")).isEqualTo(runs(before, "succeeded"));
      // Released explicitly: a closed session's lock goes only once its backend has exited,
      // which can come after the next run.
      lock.execute(
          "SELECT pg_advisory_unlock(" + SingleReplicaJobs.lockKey(EventRetention.JOB) + ")");
    }

    // The other replica let go of the lock: the next run prunes.
    retention.prune().await().atMost(Duration.ofSeconds(10));
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("1");
  }

  private static double runs(PrometheusText scrape, String outcome) {
    return scrape
        .value("bulwark_job_runs_total", "job", EventRetention.JOB, "outcome", outcome)
        .orElse(0);
  }

  private void event(String id, Instant receivedAt) {
    postgres
        .primary()
        .execute(
            "INSERT INTO metrics.email_event (provider, provider_event_id, event, campaign,"
                + " occurred_at, received_at) VALUES ('bulwark', '"
                + id
                + "', 'delivered', 'none', '"
                + receivedAt
                + "', '"
                + receivedAt
                + "')");
  }

  private void rollup(Instant bucket) {
    postgres
        .primary()
        .execute(
            "INSERT INTO metrics.email_rollup (bucket, campaign, event, events) VALUES ('"
                + bucket
                + "', 'none', 'delivered', 1)");
  }
}
