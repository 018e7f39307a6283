package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTests {

  @Test
  void readsASampleThatCarriesAnExemplar() {
    PrometheusText scrape =
        PrometheusText.parse(
            """
            # TYPE sql_pool_completed counter
            sql_pool_completed_total{pool_name="__vertx.DEFAULT",pool_type="sql"} 130.0 \
            # {span_id="54a2430f545b2937",trace_id="a947e2a0b2104cdad5da80125e747f8b"} 1.0 1796103968.717
            bulwark_spend_up 1.0
            """);

    assertThat(
            scrape.value(
                "sql_pool_completed_total", "pool_name", "__vertx.DEFAULT", "pool_type", "sql"))
        .hasValue(130);
    assertThat(scrape.value("bulwark_spend_up")).hasValue(1);
  }
}
