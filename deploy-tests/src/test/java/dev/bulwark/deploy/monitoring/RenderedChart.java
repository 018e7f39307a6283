package dev.bulwark.deploy.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The objects {@code helm template} renders from the chart with some values set (helm-java). */
record RenderedChart(List<JsonNode> objects) {

  static final String RELEASE = "bulwark";
  static final String NAMESPACE = "ops";

  private static final YAMLMapper YAML = new YAMLMapper();

  /** Renders the chart in the repository with {@code --set key=value} for each entry. */
  static RenderedChart render(Map<String, Object> values) {
    return render(RepositoryLayout.chart(), values);
  }

  static RenderedChart render(Path chart, Map<String, Object> values) {
    TemplateCommand template =
        new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
    values.forEach(template::set);
    return parse(template.call());
  }

  static RenderedChart parse(String manifests) {
    List<JsonNode> objects = new ArrayList<>();
    if (manifests == null || manifests.isBlank()) {
      return new RenderedChart(List.of());
    }
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(manifests)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.isObject() && !document.isEmpty()) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm template rendered YAML that does not parse", e);
    }
    return new RenderedChart(List.copyOf(objects));
  }

  List<JsonNode> ofKind(String apiVersion, String kind) {
    return objects.stream()
        .filter(o -> o.path("apiVersion").asText().equals(apiVersion))
        .filter(o -> o.path("kind").asText().equals(kind))
        .toList();
  }

  List<JsonNode> serviceMonitors() {
    return ofKind("monitoring.coreos.com/v1", "ServiceMonitor");
  }

  List<JsonNode> prometheusRules() {
    return ofKind("monitoring.coreos.com/v1", "PrometheusRule");
  }

  /** ConfigMaps carrying a label, such as the Grafana sidecar's. */
  List<JsonNode> configMapsLabelled(String label) {
    return ofKind("v1", "ConfigMap").stream()
        .filter(o -> o.path("metadata").path("labels").has(label))
        .toList();
  }
}
