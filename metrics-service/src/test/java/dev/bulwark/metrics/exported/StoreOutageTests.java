package dev.bulwark.metrics.exported;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StoreOutageTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void whileTheDatabaseIsDownValuesStayAndAreMarkedStaleThenRecover() {
    PrometheusText up = awaitAsserted(metrics, "store and target up", StoreOutageTests::bothUp);
    double size = up.value("bulwark_database_size_bytes", "database", "main").orElseThrow();

    postgres.primary().crash();
    try {
      PrometheusText down =
          awaitAsserted(
              metrics,
              "store and target marked down",
              s -> {
                assertThat(s.value("bulwark_metrics_store_up")).hasValue(0);
                assertThat(s.value("bulwark_database_up", "database", "main")).hasValue(0);
              });
      // The scrape still answers, with the last known values.
      assertThat(down.value("bulwark_database_size_bytes", "database", "main").orElseThrow())
          .isGreaterThan(size / 2);
      assertThat(down.has("bulwark_pipeline_deadline_timestamp_seconds")).isTrue();
    } finally {
      postgres.primary().start();
    }
    awaitAsserted(
        metrics, "store and target up again, without a restart", StoreOutageTests::bothUp);
  }

  private static void bothUp(PrometheusText s) {
    assertThat(s.value("bulwark_metrics_store_up")).hasValue(1);
    assertThat(s.value("bulwark_database_up", "database", "main")).hasValue(1);
  }
}
