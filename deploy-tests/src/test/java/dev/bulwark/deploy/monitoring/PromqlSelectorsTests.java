package dev.bulwark.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.deploy.monitoring.PromqlSelectors.Selector;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Telling the metrics a query reads from its functions, keywords, labels and durations. */
class PromqlSelectorsTests {

  @Test
  void findsTheMetricsOfABinaryExpressionAndTheJobTheyPin() {
    assertThat(
            PromqlSelectors.of(
                "max without(instance, pod) (bulwark_budget_spent_usd{job=\"budget-service\","
                    + " period=\"monthly\"}) > on(job, budget) bulwark_budget_soft_limit_usd"))
        .containsExactly(
            new Selector("bulwark_budget_spent_usd", Optional.of("budget-service")),
            new Selector("bulwark_budget_soft_limit_usd", Optional.empty()));
  }

  @Test
  void skipsFunctionsAggregationsLabelListsDurationsAndOffsets() {
    assertThat(
            PromqlSelectors.of(
                "sum by (le, operation) (rate(bulwark_budget_gate_seconds_count[5m] offset 1h))"
                    + " / ignoring(le) group_left(mode) count without (pod) (up == bool 1)"
                    + " and time() - 26 * 3600 > 1e3"))
        .extracting(Selector::metric)
        .containsExactly("bulwark_budget_gate_seconds_count", "up");
  }

  @Test
  void labelValuesAndGrafanaVariablesAreNotMetrics() {
    assertThat(
            PromqlSelectors.of(
                "sum(increase(bulwark_job_runs_total{namespace=~\"$namespace\","
                    + " job=\"backup-service\", outcome=\"failed\"}[$__rate_interval])) by (exported_job)"))
        .containsExactly(new Selector("bulwark_job_runs_total", Optional.of("backup-service")));
    assertThat(PromqlSelectors.of("bulwark_leads{job=~\"metrics-service|x\"}"))
        .containsExactly(new Selector("bulwark_leads", Optional.empty()));
  }

  @Test
  void aSelectorByNameLabelIsRefused() {
    assertThatThrownBy(() -> PromqlSelectors.of("{__name__=\"bulwark_leads\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("__name__");
  }
}
