package dev.bulwark.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's monitoring objects: off by default; on, a ServiceMonitor per service, the tested
 * alert rules as a PrometheusRule, and one dashboard ConfigMap per file for the Grafana sidecar.
 */
class MonitoringChartTests {

  private static final Map<String, Object> ENABLED = Map.of("monitoring.enabled", true);
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rendersNoMonitoringObjectByDefault() {
    RenderedChart chart = RenderedChart.render(Map.of());

    assertThat(chart.serviceMonitors()).isEmpty();
    assertThat(chart.prometheusRules()).isEmpty();
    assertThat(chart.configMapsLabelled("grafana_dashboard")).isEmpty();
  }

  @Test
  void scrapesEachServiceOnItsManagementPort() {
    RenderedChart chart = RenderedChart.render(ENABLED);

    assertThat(chart.serviceMonitors())
        .extracting(m -> m.path("spec").path("selector").path("matchLabels"))
        .extracting(labels -> labels.path("app.kubernetes.io/name").asText())
        .containsExactlyInAnyOrderElementsOf(ExportedMetrics.SERVICES);
    for (JsonNode monitor : chart.serviceMonitors()) {
      JsonNode spec = monitor.path("spec");
      String service =
          spec.path("selector").path("matchLabels").path("app.kubernetes.io/name").asText();
      assertThat(spec.path("selector").path("matchLabels"))
          .as(service)
          .isEqualTo(
              JSON.valueToTree(
                  Map.of(
                      "app.kubernetes.io/name",
                      service,
                      "app.kubernetes.io/instance",
                      RenderedChart.RELEASE)));
      assertThat(spec.path("jobLabel").asText()).isEqualTo("app.kubernetes.io/name");
      assertThat(spec.path("namespaceSelector").path("matchNames"))
          .extracting(JsonNode::asText)
          .containsExactly(RenderedChart.NAMESPACE);
      assertThat(spec.path("endpoints")).hasSize(1);
      JsonNode endpoint = spec.path("endpoints").get(0);
      assertThat(endpoint.path("port").asText()).as(service).isEqualTo("management");
      assertThat(endpoint.path("path").asText()).as(service).isEqualTo("/q/metrics");
      assertThat(endpoint.path("honorLabels").asBoolean(true)).isFalse();
      assertThat(monitor.path("metadata").path("namespace").asText())
          .isEqualTo(RenderedChart.NAMESPACE);
    }
  }

  @Test
  void everyMonitoringObjectParsesAsAKubernetesObject() throws IOException {
    RenderedChart chart = RenderedChart.render(ENABLED);
    KubernetesSerialization kubernetes = new KubernetesSerialization();

    // The chart's other objects have tests of their own.
    List<JsonNode> monitoring =
        chart.objects().stream()
            .filter(
                o ->
                    o.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/component")
                        .asText()
                        .equals("monitoring"))
            .toList();

    assertThat(monitoring).hasSize(ExportedMetrics.SERVICES.size() + 1 + dashboardFiles().size());
    for (JsonNode object : monitoring) {
      // As text: fabric8 8 reads with Jackson 3, which does not know Jackson 2's trees.
      HasMetadata parsed = kubernetes.unmarshal(JSON.writeValueAsString(object), HasMetadata.class);
      assertThat(parsed.getMetadata().getName()).startsWith(RenderedChart.RELEASE + "-");
      if (parsed instanceof ConfigMap configMap) {
        assertThat(configMap.getData()).hasSize(1);
      } else {
        // The Operator's kinds have no fabric8 model here: generic, with apiVersion and kind kept.
        assertThat(parsed).isInstanceOf(GenericKubernetesResource.class);
        assertThat(parsed.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(parsed.getKind()).isIn("ServiceMonitor", "PrometheusRule");
      }
    }
  }

  @Test
  void eachServiceMonitorSelectsARenderedServiceWithAManagementPort() {
    RenderedChart chart = RenderedChart.render(ENABLED);
    List<JsonNode> services = chart.ofKind("v1", "Service");
    // The Services come with the services' templates (a chart without them has nothing to match).
    assumeThat(services).as("Services rendered by the chart").isNotEmpty();

    for (JsonNode monitor : chart.serviceMonitors()) {
      JsonNode wanted = monitor.path("spec").path("selector").path("matchLabels");
      List<JsonNode> selected =
          services.stream()
              .filter(
                  s ->
                      s.path("metadata")
                          .path("namespace")
                          .asText(RenderedChart.NAMESPACE)
                          .equals(RenderedChart.NAMESPACE))
              .filter(s -> hasLabels(s.path("metadata").path("labels"), wanted))
              .toList();
      assertThat(selected).as("Services selected by %s", wanted).hasSize(1);
      assertThat(selected.get(0).path("spec").path("ports"))
          .as("ports of the Service selected by %s", wanted)
          .anySatisfy(port -> assertThat(port.path("name").asText()).isEqualTo("management"));
    }
  }

  private static boolean hasLabels(JsonNode labels, JsonNode wanted) {
    for (Map.Entry<String, JsonNode> label : wanted.properties()) {
      if (!labels.path(label.getKey()).asText().equals(label.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  @Test
  void installsTheRuleFileThatPromtoolTestsAsThePrometheusRule() throws IOException {
    RenderedChart chart = RenderedChart.render(ENABLED);

    assertThat(chart.prometheusRules()).hasSize(1);
    JsonNode tested = YAML.readTree(RepositoryLayout.testedAlertRules().toFile());
    assertThat(tested.path("groups")).isNotEmpty();
    assertThat(chart.prometheusRules().get(0).path("spec").path("groups"))
        .isEqualTo(tested.path("groups"));
  }

  @Test
  void theChartsRuleFileIsALinkToTheTestedOneNotACopy() throws IOException {
    Path inChart = RepositoryLayout.chart().resolve("rules/alerts.yaml");

    // A copy would pass the test above until the next change to the rules: only a link cannot
    // drift.
    assertThat(Files.isSymbolicLink(inChart)).as("%s is a symbolic link", inChart).isTrue();
    assertThat(Files.isSameFile(inChart, RepositoryLayout.testedAlertRules())).isTrue();
  }

  @Test
  void shipsEachDashboardFileAsAConfigMapForTheGrafanaSidecar() throws IOException {
    RenderedChart chart = RenderedChart.render(ENABLED);

    List<Path> files = dashboardFiles();
    List<JsonNode> configMaps = chart.configMapsLabelled("grafana_dashboard");
    assertThat(configMaps).hasSameSizeAs(files);
    Map<String, JsonNode> shipped = ShippedQueries.dashboards(chart);
    for (Path file : files) {
      String name = file.getFileName().toString();
      assertThat(shipped).as("dashboards shipped").containsKey(name);
      assertThat(shipped.get(name)).as(name).isEqualTo(JSON.readTree(file.toFile()));
    }
    assertThat(configMaps)
        .allSatisfy(
            m -> {
              assertThat(m.path("metadata").path("labels").path("grafana_dashboard").asText())
                  .isEqualTo("1");
              assertThat(m.path("metadata").path("namespace").asText())
                  .isEqualTo(RenderedChart.NAMESPACE);
            });
  }

  @Test
  void theSidecarsLabelAndNamespaceAreValues() {
    Map<String, Object> values = new HashMap<>(ENABLED);
    values.put("monitoring.dashboards.label", "bulwark_dashboard");
    values.put("monitoring.dashboards.labelValue", "yes");
    values.put("monitoring.dashboards.namespace", "grafana");

    RenderedChart chart = RenderedChart.render(values);

    assertThat(chart.configMapsLabelled("grafana_dashboard")).isEmpty();
    assertThat(chart.configMapsLabelled("bulwark_dashboard"))
        .hasSize(dashboardFiles().size())
        .allSatisfy(
            m -> {
              assertThat(m.path("metadata").path("labels").path("bulwark_dashboard").asText())
                  .isEqualTo("yes");
              assertThat(m.path("metadata").path("namespace").asText()).isEqualTo("grafana");
            });
  }

  @Test
  void extraLabelsReachEveryMonitoringObject() {
    Map<String, Object> values = new HashMap<>(ENABLED);
    values.put("monitoring.labels.release", "kube-prometheus-stack");

    RenderedChart chart = RenderedChart.render(values);

    List<JsonNode> objects =
        Stream.of(
                chart.serviceMonitors(),
                chart.prometheusRules(),
                chart.configMapsLabelled("grafana_dashboard"))
            .flatMap(List::stream)
            .toList();
    assertThat(objects).hasSize(ExportedMetrics.SERVICES.size() + 1 + dashboardFiles().size());
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(o.path("metadata").path("labels").path("release").asText())
                    .isEqualTo("kube-prometheus-stack"));
  }

  @Test
  void rulesAndDashboardsCanEachBeLeftOut() {
    Map<String, Object> values = new HashMap<>(ENABLED);
    values.put("monitoring.prometheusRule.enabled", false);
    values.put("monitoring.dashboards.enabled", false);

    RenderedChart chart = RenderedChart.render(values);

    assertThat(chart.serviceMonitors()).hasSize(ExportedMetrics.SERVICES.size());
    assertThat(chart.prometheusRules()).isEmpty();
    assertThat(chart.configMapsLabelled("grafana_dashboard")).isEmpty();
  }

  @Test
  void everyDashboardHasATitleAVariableDataSourceAndQueriesInEveryPanel() throws IOException {
    for (Path file : dashboardFiles()) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      String name = file.getFileName().toString();
      assertThat(dashboard.path("title").asText()).as(name).startsWith("Bulwark / ");
      assertThat(dashboard.path("uid").asText()).as(name).startsWith("bulwark-");
      assertThat(dashboard.path("description").asText()).as(name).isNotBlank();
      assertThat(dashboard.path("templating").path("list"))
          .as(name)
          .anySatisfy(v -> assertThat(v.path("type").asText()).isEqualTo("datasource"));
      List<JsonNode> panels =
          Stream.of(JSON.treeToValue(dashboard.path("panels"), JsonNode[].class))
              .filter(p -> !p.path("type").asText().equals("row"))
              .toList();
      assertThat(panels).as(name).isNotEmpty();
      assertThat(panels)
          .as(name)
          .allSatisfy(
              panel -> {
                String title = name + " " + panel.path("title").asText();
                assertThat(panel.path("datasource").path("uid").asText())
                    .as(title)
                    .isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as(title).isNotEmpty();
                assertThat(panel.path("description").asText()).as(title).isNotBlank();
              });
    }
  }

  @Test
  void oneDashboardPerConcernAndTheFailoverOneShowsTheGroups() throws IOException {
    assertThat(dashboardFiles())
        .extracting(f -> f.getFileName().toString())
        .containsExactlyInAnyOrder(
            "budgets.json", "pipeline.json", "backups.json", "failover.json");
    JsonNode failover =
        JSON.readTree(RepositoryLayout.chart().resolve("dashboards/failover.json").toFile());
    assertThat(failover.path("description").asText()).contains("groups").doesNotContain("shell");
    assertThat(failover.path("panels").get(0).path("title").asText()).isEqualTo("Failover groups");
  }

  @Test
  void lintPassesStrictWithMonitoringOffAndOn(@TempDir Path dir) throws IOException {
    LintResult off = new Helm(RepositoryLayout.chart()).lint().strict().call();
    assertThat(off.isFailed()).as(String.join("\n", off.getMessages())).isFalse();

    // helm-java lints with the chart's own values only: lint a copy whose default is on.
    Path copy = copyChart(dir);
    enableMonitoringByDefault(copy);
    assertThat(RenderedChart.render(copy, Map.of()).serviceMonitors()).isNotEmpty();

    LintResult on = new Helm(copy).lint().strict().call();
    assertThat(on.isFailed()).as(String.join("\n", on.getMessages())).isFalse();
  }

  @Test
  void renderingFailsAndSaysWhyWhenTheRuleFileIsMissing(@TempDir Path dir) throws IOException {
    Path copy = copyChart(dir);
    Files.delete(copy.resolve("rules/alerts.yaml"));

    // helm lint reports a template's fail() as INFO only: rendering is where it stops an install.
    assertThatThrownBy(() -> RenderedChart.render(copy, ENABLED))
        .hasMessageContaining("rules/alerts.yaml must be a Prometheus rule file");
  }

  private static List<Path> dashboardFiles() {
    try (Stream<Path> files = Files.list(RepositoryLayout.chart().resolve("dashboards"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets monitoring.enabled in a chart's values.yaml (its comments are lost). */
  private static void enableMonitoringByDefault(Path chart) throws IOException {
    Path values = chart.resolve("values.yaml");
    ObjectNode tree = (ObjectNode) YAML.readTree(values.toFile());
    ((ObjectNode) tree.path("monitoring")).put("enabled", true);
    YAML.writeValue(values.toFile(), tree);
  }

  /** A copy of the chart with its links resolved into files. */
  private static Path copyChart(Path dir) throws IOException {
    Path chart = RepositoryLayout.chart();
    Path copy = dir.resolve("bulwark");
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(chart.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return copy;
  }
}
