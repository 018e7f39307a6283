package dev.bulwark.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The names read from the services' registrations are the series Prometheus scrapes, as
 * docs/api/*.md and the services' own scrape tests name them.
 */
class ExportedMetricsTests {

  private final ExportedMetrics exported = ExportedMetrics.fromSources(RepositoryLayout.root());

  @Test
  void turnsEachKindOfRegistrationIntoItsScrapedNames() {
    // GaugeFamily, Freshness, Counter, Timer and Gauge registrations, one of each.
    assertThat(exported.exports("metrics-service", "bulwark_email_bounce_ratio")).isTrue();
    assertThat(exported.exports("budget-service", "bulwark_budget_gauges_up")).isTrue();
    assertThat(
            exported.exports(
                "budget-service", "bulwark_budget_gauges_last_success_timestamp_seconds"))
        .isTrue();
    assertThat(exported.exports("backup-service", "bulwark_mirror_copied_bytes_total")).isTrue();
    assertThat(exported.names())
        .contains(
            "bulwark_budget_gate_seconds",
            "bulwark_budget_gate_seconds_count",
            "bulwark_budget_gate_seconds_bucket")
        .doesNotContain(
            "bulwark_budget_gate", "bulwark_mirror_copied_bytes", "bulwark_leads_total");
  }

  @Test
  void aNameRegisteredInCommonIsExportedByEveryServiceAndOthersByTheirOwnOnly() {
    assertThat(ExportedMetrics.SERVICES)
        .allSatisfy(s -> assertThat(exported.exports(s, "bulwark_job_runs_total")).as(s).isTrue())
        .allSatisfy(
            s ->
                assertThat(exported.exports(s, "bulwark_vertx_pool_timer_races_total"))
                    .as(s)
                    .isTrue());
    assertThat(exported.exports("budget-service", "bulwark_budget_spent_usd")).isTrue();
    assertThat(exported.exports("metrics-service", "bulwark_budget_spent_usd")).isFalse();
  }

  @Test
  void everyNameFollowsTheConventionsPrefix() {
    assertThat(exported.names()).hasSizeGreaterThan(60).allMatch(n -> n.startsWith("bulwark_"));
  }
}
