package dev.bulwark.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bulwark.deploy.monitoring.PromqlSelectors.Selector;
import dev.bulwark.deploy.monitoring.ShippedQueries.Query;
import dev.bulwark.testing.Promtool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query the chart ships (dashboards and alert rules) is valid PromQL for promtool and reads
 * only metrics that the services export, from the service its {@code job} names: Bulwark's own as
 * their code registers them, the framework's as a recorded scrape shows them.
 */
class MonitoringQueriesTests {

  /**
   * Series Prometheus makes itself for every target, not scraped from a service: {@code up} is 1
   * when the target's last scrape succeeded.
   */
  private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  private static final YAMLMapper YAML = new YAMLMapper();

  private static List<Query> shipped;
  private static ExportedMetrics exported;
  private static RecordedScrapes recorded;

  @BeforeAll
  static void renderTheChart() {
    RenderedChart chart = RenderedChart.render(Map.of("monitoring.enabled", true));
    shipped = ShippedQueries.of(chart);
    exported = ExportedMetrics.fromSources(RepositoryLayout.root());
    recorded = RecordedScrapes.load();
  }

  @Test
  void theChartShipsQueriesFromEveryDashboardAndTheRules() {
    assertThat(shipped)
        .extracting(q -> q.source().split(" ")[0])
        .contains("budgets.json", "pipeline.json", "backups.json", "failover.json", "rule");
    assertThat(shipped).allSatisfy(q -> assertThat(q.expr()).as(q.source()).isNotBlank());
  }

  @Test
  void everyQueryPassesPromtool(@TempDir Path dir) throws Exception {
    Promtool.Run run = checkAsRecordingRules(shipped, dir);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.output()).contains("SUCCESS: " + shipped.size() + " rules found");
  }

  @Test
  void promtoolRejectsABrokenQuery(@TempDir Path dir) throws Exception {
    List<Query> queries = new ArrayList<>(shipped);
    queries.add(new Query("broken", "sum by (target (bulwark_backup_retained)"));

    Promtool.Run run = checkAsRecordingRules(queries, dir);

    assertThat(run.exitCode()).as(run.describe()).isNotZero();
    assertThat(run.output()).contains(recordName(queries.size() - 1));
  }

  @Test
  void everyQueryReadsOnlyMetricsTheServicesExport() {
    List<String> problems = new ArrayList<>();
    int selectors = 0;
    for (Query query : shipped) {
      for (Selector selector : PromqlSelectors.of(query.expr())) {
        selectors++;
        unexported(selector).ifPresent(p -> problems.add(query.source() + ": " + p));
      }
    }

    assertThat(selectors).isGreaterThanOrEqualTo(shipped.size());
    assertThat(problems).isEmpty();
  }

  @Test
  void aMisspelledOrMisplacedMetricIsReported() {
    assertThat(unexported(new Selector("bulwark_budget_spend_usd", Optional.empty())))
        .hasValueSatisfying(p -> assertThat(p).contains("bulwark_budget_spend_usd"));
    // Exported, but by budget-service, not by the service the query names.
    assertThat(unexported(new Selector("bulwark_budget_spent_usd", Optional.of("backup-service"))))
        .hasValueSatisfying(p -> assertThat(p).contains("backup-service"));
    assertThat(unexported(new Selector("bulwark_budget_spent_usd", Optional.of("budget-service"))))
        .isEmpty();
  }

  /**
   * What is wrong with a selector, if anything: a name no service exports (registered in the code
   * or, for the framework's JVM and HTTP metrics, seen in a recorded scrape), or a job that is not
   * a service exporting it.
   */
  private static Optional<String> unexported(Selector selector) {
    String metric = selector.metric();
    if (PROMETHEUS_SERIES.contains(metric)) {
      return Optional.empty();
    }
    if (!exported.names().contains(metric) && !recorded.anyExports(metric)) {
      return Optional.of(metric + " is exported by no service");
    }
    return selector
        .job()
        .filter(job -> !exported.exports(job, metric) && !recorded.exports(job, metric))
        .map(job -> metric + " is not exported by " + job + ", the job the query selects");
  }

  /** promtool check rules on a file with each query as a recording rule named for its index. */
  private static Promtool.Run checkAsRecordingRules(List<Query> queries, Path dir)
      throws IOException, InterruptedException {
    ObjectNode file = YAML.createObjectNode();
    ObjectNode group = file.putArray("groups").addObject();
    group.put("name", "shipped-queries");
    ArrayNode rules = group.putArray("rules");
    for (int i = 0; i < queries.size(); i++) {
      rules
          .addObject()
          .put("record", recordName(i))
          .put("expr", queries.get(i).withGrafanaVariablesFilledIn());
    }
    Path rulesFile = dir.resolve("shipped-queries.yaml");
    YAML.writeValue(rulesFile.toFile(), file);
    Promtool.Run run = Promtool.run("check", "rules", rulesFile.toString());
    if (run.exitCode() != 0) {
      // Name each failing rule by its source, so that the failure says which panel to fix.
      StringBuilder sources = new StringBuilder();
      for (int i = 0; i < queries.size(); i++) {
        if (run.output().contains(recordName(i))) {
          sources.append('\n').append(recordName(i)).append(" = ").append(queries.get(i));
        }
      }
      return new Promtool.Run(run.command(), run.exitCode(), run.output() + sources);
    }
    return run;
  }

  private static String recordName(int index) {
    return "shipped_query_%04d".formatted(index);
  }
}
