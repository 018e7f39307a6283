package dev.bulwark.metrics.exported;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.metrics.databases.DatabaseUsage;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.LogLines;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.logging.Level;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StoreOutageTests {

  static final String STORE_JOB = BusinessGauges.STORE_JOB;
  static final String MAIN_JOB = DatabaseUsage.JOB_PREFIX + "main";

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  MutableClock clock = MutableClock.todayAtNoon();

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void whileTheDatabaseIsDownValuesStayAndAreMarkedStaleThenRecover() {
    long noon = clock.instant().getEpochSecond();
    long midnight = clock.instant().truncatedTo(ChronoUnit.DAYS).getEpochSecond();
    PrometheusText up =
        awaitAsserted(
            metrics,
            "store and target up, read at the pinned time",
            s -> {
              bothUp(s);
              assertThat(s.value("bulwark_pipeline_deadline_timestamp_seconds")).hasValue(midnight);
              assertThat(s.value("bulwark_metrics_store_last_success_timestamp_seconds"))
                  .hasValue(noon);
            });
    double size = up.value("bulwark_database_size_bytes", "database", "main").orElseThrow();
    double storeFailures = failedRuns(up, STORE_JOB);
    double mainFailures = failedRuns(up, MAIN_JOB);

    try (LogLines log = LogLines.atLeast(Level.INFO)) {
      postgres.primary().crash();
      try {
        // The time moves on, so a value read during the outage would carry a later timestamp.
        clock.advance(Duration.ofMinutes(5));
        PrometheusText down =
            awaitAsserted(
                metrics,
                "store and target down for three failed runs each",
                s -> {
                  assertThat(s.value("bulwark_metrics_store_up")).hasValue(0);
                  assertThat(s.value("bulwark_database_up", "database", "main")).hasValue(0);
                  assertThat(failedRuns(s, STORE_JOB)).isGreaterThanOrEqualTo(storeFailures + 3);
                  assertThat(failedRuns(s, MAIN_JOB)).isGreaterThanOrEqualTo(mainFailures + 3);
                });
        // The scrape still answers, with the last known values and when they were read.
        assertThat(down.value("bulwark_database_size_bytes", "database", "main"))
            .hasValueCloseTo(size, Offset.offset(2_000_000.0));
        assertThat(down.value("bulwark_pipeline_deadline_timestamp_seconds")).hasValue(midnight);
        assertThat(down.value("bulwark_metrics_store_last_success_timestamp_seconds"))
            .hasValue(noon);
        assertThat(down.value("bulwark_job_last_success_timestamp_seconds", "job", STORE_JOB))
            .hasValue(noon);
        // Three failed runs or more, one line each for the store and the target.
        assertThat(outageLines(log, STORE_JOB, "is failing")).hasSize(1);
        assertThat(outageLines(log, MAIN_JOB, "is failing")).hasSize(1);
      } finally {
        postgres.primary().start();
      }
      awaitAsserted(
          metrics,
          "store and target up again, without a restart",
          s -> {
            bothUp(s);
            assertThat(s.value("bulwark_metrics_store_last_success_timestamp_seconds"))
                .hasValue(noon + 300);
          });
      await("recoveries logged")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  outageLines(log, STORE_JOB, "recovered").size() == 1
                      && outageLines(log, MAIN_JOB, "recovered").size() == 1);
      assertThat(outageLines(log, STORE_JOB, "is failing")).hasSize(1);
      assertThat(outageLines(log, MAIN_JOB, "is failing")).hasSize(1);
    }
  }

  @Test
  void aStoreReadThatHangsIsMarkedStaleInsteadOfStayingUp() throws Exception {
    awaitAsserted(
        metrics, "store up", s -> assertThat(s.value("bulwark_metrics_store_up")).hasValue(1));
    try (LogLines log = LogLines.atLeast(Level.INFO);
        Connection migration = postgres.primary().connect("postgres");
        Statement lock = migration.createStatement()) {
      // A long migration holds the table: the store's reads wait on it without failing.
      migration.setAutoCommit(false);
      lock.execute("LOCK TABLE metrics.pipeline_run IN ACCESS EXCLUSIVE MODE");
      try {
        awaitAsserted(
            metrics,
            "store marked down after the read timeout",
            s -> assertThat(s.value("bulwark_metrics_store_up")).hasValue(0));
        assertThat(outageLines(log, STORE_JOB, "did not answer within 10 s")).hasSize(1);
      } finally {
        migration.rollback();
      }
    }
    awaitAsserted(
        metrics,
        "store up once the lock is gone",
        s -> assertThat(s.value("bulwark_metrics_store_up")).hasValue(1));
  }

  private static double failedRuns(PrometheusText s, String job) {
    return s.value("bulwark_job_runs_total", "job", job, "outcome", "failed").orElse(0.0);
  }

  private static void bothUp(PrometheusText s) {
    assertThat(s.value("bulwark_metrics_store_up")).hasValue(1);
    assertThat(s.value("bulwark_database_up", "database", "main")).hasValue(1);
  }

  /** What OutageLog wrote about one job, containing {@code text}. */
  private static List<String> outageLines(LogLines log, String job, String text) {
    return log.of(OutageLog.class.getName()).stream()
        .filter(line -> line.startsWith(job + " ") && line.contains(text))
        .toList();
  }
}
