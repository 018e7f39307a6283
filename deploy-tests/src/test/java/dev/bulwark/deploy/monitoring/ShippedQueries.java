package dev.bulwark.deploy.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression the chart ships with monitoring on: the targets and variables of the
 * dashboards in its ConfigMaps and the rules of its PrometheusRule, each named for where it is.
 */
final class ShippedQueries {

  /** One expression and where it comes from ({@code budgets.json panel 7 "Title" A}). */
  record Query(String source, String expr) {

    /**
     * The expression as Prometheus would get it from Grafana: Grafana's interval variables become a
     * duration, the dashboard's own variables a plain value.
     */
    String withGrafanaVariablesFilledIn() {
      return expr.replaceAll("\\$\\{?__(rate_interval|interval|range)\\}?", "5m")
          .replaceAll("\\$\\{(\\w+)(:\\w+)?\\}|\\$(\\w+)", "placeholder");
    }
  }

  static final String DASHBOARD_LABEL = "grafana_dashboard";

  // Grafana's Prometheus variable functions around a selector or an expression.
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.+),\\s*\\w+\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\((.+)\\)\\s*$", Pattern.DOTALL);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ShippedQueries() {}

  static List<Query> of(RenderedChart chart) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode configMap : chart.configMapsLabelled(DASHBOARD_LABEL)) {
      for (Map.Entry<String, JsonNode> file : configMap.path("data").properties()) {
        queries.addAll(dashboard(file.getKey(), file.getValue()));
      }
    }
    for (JsonNode rule : chart.prometheusRules()) {
      for (JsonNode group : rule.path("spec").path("groups")) {
        for (JsonNode r : group.path("rules")) {
          String name =
              r.hasNonNull("alert") ? r.path("alert").asText() : r.path("record").asText();
          queries.add(new Query("rule " + name, r.path("expr").asText()));
        }
      }
    }
    return queries;
  }

  /** The dashboards the chart ships, by file name. */
  static Map<String, JsonNode> dashboards(RenderedChart chart) {
    Map<String, JsonNode> dashboards = new TreeMap<>();
    for (JsonNode configMap : chart.configMapsLabelled(DASHBOARD_LABEL)) {
      for (Map.Entry<String, JsonNode> file : configMap.path("data").properties()) {
        dashboards.put(file.getKey(), parse(file.getValue()));
      }
    }
    return dashboards;
  }

  private static List<Query> dashboard(String file, JsonNode json) {
    JsonNode dashboard = parse(json);
    List<Query> queries = new ArrayList<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (!variable.path("type").asText().equals("query")) {
        continue;
      }
      JsonNode query = variable.path("query");
      String text = query.isObject() ? query.path("query").asText() : query.asText();
      queries.add(new Query(file + " variable " + variable.path("name").asText(), unwrap(text)));
    }
    panels(file, dashboard.path("panels"), queries);
    return queries;
  }

  private static void panels(String file, JsonNode panels, List<Query> queries) {
    for (JsonNode panel : panels) {
      panels(file, panel.path("panels"), queries); // a row's collapsed panels
      for (JsonNode target : panel.path("targets")) {
        String source =
            "%s panel %s \"%s\" %s"
                .formatted(
                    file,
                    panel.path("id").asText(),
                    panel.path("title").asText(),
                    target.path("refId").asText());
        queries.add(new Query(source, target.path("expr").asText()));
      }
    }
  }

  /** The PromQL inside a variable's {@code label_values(...)} or {@code query_result(...)}. */
  private static String unwrap(String variableQuery) {
    for (Pattern function : List.of(LABEL_VALUES, QUERY_RESULT)) {
      Matcher matcher = function.matcher(variableQuery);
      if (matcher.matches()) {
        return matcher.group(1);
      }
    }
    return variableQuery;
  }

  private static JsonNode parse(JsonNode text) {
    try {
      return JSON.readTree(text.asText());
    } catch (IOException e) {
      throw new UncheckedIOException("a dashboard is not JSON", e);
    }
  }
}
