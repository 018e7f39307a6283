package dev.bulwark.metrics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bulwark.testing.Promtool;
import dev.bulwark.testing.Promtool.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules the Helm chart ships: valid for Prometheus, unit-tested by promtool with a firing
 * and a silent case per alert, and each documented by a runbook in docs/runbooks.
 */
class AlertRulesTests {

  private static final String RUNBOOK_URL_PREFIX =
      "https://github.com/bulwark-ops/bulwark/blob/main/docs/runbooks/";

  private static final Path MODULE = moduleDirectory();
  private static final Path RULES = MODULE.resolve("src/main/prometheus/alerts.yaml");
  private static final Path RULE_TESTS = MODULE.resolve("src/test/prometheus/alerts-test.yaml");
  private static final Path RUNBOOKS = MODULE.getParent().resolve("docs/runbooks");

  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void rulesFilePassesPromtoolCheck() throws Exception {
    Run run = Promtool.runIn(MODULE, "check", "rules", RULES.toString());

    assertThat(run.exitCode()).as(run.describe()).isZero();
  }

  @Test
  void ruleUnitTestsPassPromtool() throws Exception {
    Run run = Promtool.runIn(MODULE, "test", "rules", RULE_TESTS.toString());

    assertThat(run.exitCode()).as(run.describe()).isZero();
  }

  @Test
  void promtoolRejectsABrokenRulesFile(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken,
        """
        groups:
          - name: broken
            rules:
              - alert: BulwarkBroken
                expr: max without(instance, pod) (bulwark_spend_up ==
        """);

    Run run = Promtool.runIn(MODULE, "check", "rules", broken.toString());

    assertThat(run.exitCode()).as(run.describe()).isNotZero();
  }

  @Test
  void promtoolFailsATestCaseWhoseExpectationIsWrong(@TempDir Path dir) throws Exception {
    // A bounce ratio of 1% over 1000 emails (above the volume guard) must not warn: a test
    // expecting the warning has to fail.
    Path wrong = dir.resolve("wrong-test.yaml");
    Files.writeString(
        wrong,
        """
        rule_files:
          - %s
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'bulwark_email_bounce_ratio{job="metrics-service", window="24h"}'
                values: '0.01x60'
              - series: 'bulwark_email_events{job="metrics-service", event="delivered", window="24h"}'
                values: '990x60'
              - series: 'bulwark_email_events{job="metrics-service", event="bounced", window="24h"}'
                values: '10x60'
            alert_rule_test:
              - eval_time: 45m
                alertname: BulwarkEmailBounceRateHigh
                exp_alerts:
                  - exp_labels: {severity: warning, job: metrics-service, window: 24h}
        """
            .formatted(RULES.toAbsolutePath()));

    Run run = Promtool.runIn(MODULE, "test", "rules", wrong.toString());

    assertThat(run.exitCode()).as(run.describe()).isNotZero();
    assertThat(run.output()).contains("BulwarkEmailBounceRateHigh");
  }

  @Test
  void everyAlertHasAFiringAndASilentTestCase() throws IOException {
    List<String> alerts = alertNames();
    Set<String> firing = new HashSet<>();
    Set<String> silent = new HashSet<>();
    Set<String> tested = new HashSet<>();
    for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).path("tests")) {
      for (JsonNode ruleTest : test.path("alert_rule_test")) {
        String alert = ruleTest.path("alertname").asText();
        tested.add(alert);
        JsonNode expected = ruleTest.path("exp_alerts");
        (expected.isArray() && !expected.isEmpty() ? firing : silent).add(alert);
      }
    }

    assertThat(alerts).as("alerts in %s", RULES).isNotEmpty().doesNotHaveDuplicates();
    // promtool passes a silent case for an alert that does not exist, so a typo would hide.
    assertThat(tested).as("alertnames tested but not defined").isSubsetOf(alerts);
    assertThat(firing).as("alerts with a firing test case").containsAll(alerts);
    assertThat(silent).as("alerts with a silent test case").containsAll(alerts);
  }

  @Test
  void everyAlertIsLabelledAnnotatedAndHasARunbook() throws IOException {
    List<JsonNode> rules = alertRules();
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : rules) {
      String alert = rule.path("alert").asText();
      if (!alert.startsWith("Bulwark")) {
        problems.add(alert + ": name does not start with Bulwark");
      }
      if (!rule.hasNonNull("for")) {
        problems.add(alert + ": no for: duration");
      }
      String severity = rule.path("labels").path("severity").asText();
      if (!severity.equals("warning") && !severity.equals("critical")) {
        problems.add(alert + ": severity is '" + severity + "', not warning or critical");
      }
      JsonNode annotations = rule.path("annotations");
      for (String annotation : List.of("summary", "description", "runbook_url")) {
        if (annotations.path(annotation).asText().isBlank()) {
          problems.add(alert + ": no " + annotation + " annotation");
        }
      }
      String runbookUrl = annotations.path("runbook_url").asText();
      if (!runbookUrl.isBlank()) {
        runbookProblem(runbookUrl).ifPresent(p -> problems.add(alert + ": " + p));
      }
    }

    assertThat(rules).isNotEmpty();
    assertThat(problems).as("problems in %s", RULES).isEmpty();
  }

  /** What is wrong with a runbook_url: outside docs/runbooks, a missing file or anchor. */
  private static Optional<String> runbookProblem(String url) throws IOException {
    if (!url.startsWith(RUNBOOK_URL_PREFIX)) {
      return Optional.of("runbook_url " + url + " is not under " + RUNBOOK_URL_PREFIX);
    }
    String[] fileAndAnchor = url.substring(RUNBOOK_URL_PREFIX.length()).split("#", 2);
    Path file = RUNBOOKS.resolve(fileAndAnchor[0]);
    if (!Files.isRegularFile(file)) {
      return Optional.of("runbook " + file + " does not exist");
    }
    if (fileAndAnchor.length == 2) {
      String anchor = fileAndAnchor[1];
      boolean found =
          Files.readAllLines(file).stream()
              .filter(line -> line.startsWith("#"))
              .map(AlertRulesTests::headingAnchor)
              .anyMatch(anchor::equals);
      if (!found) {
        return Optional.of("runbook " + file + " has no heading for #" + anchor);
      }
    }
    return Optional.empty();
  }

  /** The anchor GitHub gives a markdown heading. */
  private static String headingAnchor(String heading) {
    return heading
        .replaceFirst("^#+\\s*", "")
        .trim()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  private static List<String> alertNames() throws IOException {
    return alertRules().stream().map(rule -> rule.path("alert").asText()).toList();
  }

  private static List<JsonNode> alertRules() throws IOException {
    List<JsonNode> alerts = new ArrayList<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.hasNonNull("alert")) {
          alerts.add(rule);
        }
      }
    }
    return alerts;
  }

  /** The metrics-service module, whether the tests run from it (Maven) or from the repository. */
  private static Path moduleDirectory() {
    Path workingDirectory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate : List.of(workingDirectory, workingDirectory.resolve("metrics-service"))) {
      if (Files.isRegularFile(candidate.resolve("src/main/prometheus/alerts.yaml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "cannot find metrics-service/src/main/prometheus/alerts.yaml from " + workingDirectory);
  }
}
