package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * values.schema.json refuses values that would install a broken or unsafe Bulwark, and Helm's
 * message names the value to fix.
 */
class SchemaTests {

  private static final String TOO_SHORT = ": String length must be greater than or equal to 1";

  @Test
  void refusesANegativeReplicaCount() {
    assertRefused(
        "budgetService.replicaCount",
        "-1",
        "budgetService.replicaCount: Must be greater than or equal to 0");
  }

  @Test
  void lintRefusesANegativeReplicaCountToo(@TempDir Path work) {
    LintResult lint = Chart.lintStrict(work, Map.of("failoverService", Map.of("replicaCount", -2)));

    assertThat(lint.isFailed()).isTrue();
    assertThat(String.join("\n", lint.getMessages()))
        .contains("failoverService.replicaCount: Must be greater than or equal to 0");
  }

  @Test
  void refusesAnEnabledServiceWithoutItsSecretName() {
    for (String secretName :
        new String[] {
          "backupService.age.existingSecret",
          "budgetService.database.existingSecret",
          "metricsService.secrets.existingSecret",
          "jwt.publicKey.existingSecret"
        }) {
      assertRefused(secretName, "", secretName + TOO_SHORT);
    }
  }

  @Test
  void aDisabledServiceNeedsNoSecretName() {
    RenderedChart rendered =
        Chart.render(
            null, "backupService.enabled", "false", "backupService.age.existingSecret", "");

    assertThat(rendered.has(Deployment.class, "backup-service")).isFalse();
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertRefused(
        "budgetService.replicaCount",
        "two",
        "budgetService.replicaCount: Invalid type. Expected: integer, given: string");
    assertRefused(
        "ingress.enabled",
        "yes",
        "ingress.enabled: Invalid type. Expected: boolean, given: string");
  }

  @Test
  void refusesAnUnknownValue() {
    assertRefused(
        "budgetService.replicas",
        "3",
        "budgetService: Additional property replicas is not allowed");
  }

  @Test
  void refusesASecretAsAPlainSetting() {
    assertRefused(
        "budgetService.config.QUARKUS_DATASOURCE_PASSWORD",
        "hunter2",
        "budgetService.config: Property name of \"QUARKUS_DATASOURCE_PASSWORD\" does not match");
  }

  @Test
  void refusesAutoscalingOfServicesThatMustNotScaleOut() {
    assertRefused(
        "backupService.autoscaling.enabled",
        "true",
        "backupService: Additional property autoscaling is not allowed");
    assertRefused(
        "failoverService.autoscaling.enabled",
        "true",
        "failoverService: Additional property autoscaling is not allowed");
  }

  @Test
  void refusesATargetNameThatCannotBecomeAnEnvironmentName() {
    assertRefused(
        "backupService.targets.pipeline-db.url",
        "postgresql://db:5432/app",
        "backupService.targets: Property name of \"pipeline-db\" does not match");
  }

  @Test
  void refusesAnEnabledIngressWithoutHosts() {
    assertRefused("ingress.enabled", "true", "ingress.hosts: Array must have at least 1 items");
  }

  /** helm template fails before rendering anything, with Helm's line for the value to fix. */
  private static void assertRefused(String key, String value, String reason) {
    assertThatThrownBy(() -> Chart.template(null, key, value))
        .as("--set %s=%s", key, value)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("- " + reason);
  }
}
