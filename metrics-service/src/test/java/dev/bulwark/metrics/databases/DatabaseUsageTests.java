package dev.bulwark.metrics.databases;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.LogLines;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.logging.Level;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The test profile watches the test cluster as "main" (supabase-free) and a closed port as "gone".
 */
@QuarkusTest
class DatabaseUsageTests {

  static final long SUPABASE_FREE = 500L * 1024 * 1024;
  static final String GONE_JOB = DatabaseUsage.JOB_PREFIX + "gone";

  @Inject OutageLog outages;

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void sizeGrowsWhenATableIsFilled() {
    long empty =
        Long.parseLong(
            postgres.primary().queryValue("SELECT pg_database_size(current_database())"));
    PrometheusText before =
        awaitAsserted(
            metrics,
            "main database checked",
            s -> {
              assertThat(s.value("bulwark_database_up", "database", "main")).hasValue(1);
              assertThat(s.value("bulwark_database_size_bytes", "database", "main"))
                  .hasValueCloseTo((double) empty, Offset.offset(2_000_000.0));
            });
    double sizeBefore =
        before.value("bulwark_database_size_bytes", "database", "main").orElseThrow();

    postgres
        .primary()
        .execute(
            "CREATE TABLE public.filler AS SELECT g, repeat('x', 1000) AS pad"
                + " FROM generate_series(1, 20000) g");
    try {
      long actual =
          Long.parseLong(
              postgres.primary().queryValue("SELECT pg_database_size(current_database())"));
      double maxConnections =
          Double.parseDouble(postgres.primary().queryValue("SHOW max_connections"));
      awaitAsserted(
          metrics,
          "size grown by the filled table",
          s -> {
            double size = s.value("bulwark_database_size_bytes", "database", "main").orElseThrow();
            assertThat(size)
                .isGreaterThanOrEqualTo(sizeBefore + 15_000_000)
                .isBetween(actual - 2_000_000.0, actual + 2_000_000.0);
            assertThat(s.value("bulwark_database_usage_ratio", "database", "main"))
                .hasValueCloseTo(size / SUPABASE_FREE, Offset.offset(1e-9));
            assertThat(
                    s.value(
                        "bulwark_database_size_limit_bytes",
                        "database",
                        "main",
                        "tier",
                        "supabase-free"))
                .hasValue(SUPABASE_FREE);
            assertThat(s.value("bulwark_database_max_connections", "database", "main"))
                .hasValue(maxConnections);
            assertThat(s.value("bulwark_database_connections", "database", "main").orElseThrow())
                .isGreaterThanOrEqualTo(1);
          });
    } finally {
      postgres.primary().execute("DROP TABLE public.filler");
    }
  }

  @Test
  void anUnreachableTargetIsMarkedDownWithoutAFakeSizeAndLoggedOnce() {
    double failedBefore = failedRuns(Scrapes.scrape(metrics));
    try (LogLines log = LogLines.atLeast(Level.INFO)) {
      awaitAsserted(
          metrics,
          "gone database checked three more times, in vain",
          s -> {
            assertThat(failedRuns(s)).isGreaterThanOrEqualTo(failedBefore + 3);
            assertThat(s.value("bulwark_database_up", "database", "gone")).hasValue(0);
            assertThat(s.value("bulwark_database_size_bytes", "database", "gone")).isEmpty();
            assertThat(s.value("bulwark_database_usage_ratio", "database", "gone")).isEmpty();
            assertThat(
                    s.value(
                        "bulwark_database_size_limit_bytes", "database", "gone", "tier", "custom"))
                .hasValue(1024.0 * 1024 * 1024);
            assertThat(s.value("bulwark_job_runs_total", "job", GONE_JOB, "outcome", "succeeded"))
                .isEmpty();
            assertThat(s.value("bulwark_job_last_success_timestamp_seconds", "job", GONE_JOB))
                .isEmpty();
          });
      // Its outage started with the application and was logged then: the ticks since add nothing.
      assertThat(outages.isDown(GONE_JOB)).isTrue();
      assertThat(outageLines(log, GONE_JOB, "")).isEmpty();
    }
  }

  private static double failedRuns(PrometheusText s) {
    return s.value("bulwark_job_runs_total", "job", GONE_JOB, "outcome", "failed").orElse(0.0);
  }

  /** What OutageLog wrote about one job, containing {@code text}. */
  private static List<String> outageLines(LogLines log, String job, String text) {
    return log.of(OutageLog.class.getName()).stream()
        .filter(line -> line.startsWith(job + " ") && line.contains(text))
        .toList();
  }
}
