package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * failoverService.groups reach failover-service as the environment names FailoverConfig reads, and
 * a group's password only ever as a reference to an existing Secret.
 */
class FailoverGroupsTests {

  private static final String GROUP = "BULWARK_FAILOVER_GROUPS_PIPELINE_";

  @Test
  void aGroupsSettingsAndMembersReachTheConfigMap() {
    Map<String, String> config = Renders.PRODUCTION.config("failover-service").getData();

    assertThat(config)
        .containsEntry(GROUP + "KIND", "postgres")
        .containsEntry(GROUP + "PERIOD", "500ms")
        .containsEntry(GROUP + "TIMEOUT", "1s")
        .containsEntry(GROUP + "FAILURE_THRESHOLD", "3")
        // A large number stays an integer: Helm reads it as a float, the chart prints it whole.
        .containsEntry(GROUP + "MAXIMUM_LAG_ON_FAILOVER", "16777216")
        .containsEntry(GROUP + "COOLDOWN", "10m")
        .containsEntry(GROUP + "USERNAME", "bulwark_failover")
        .containsEntry(
            GROUP + "MEMBERS_NODE1_URL",
            "postgresql://pipeline-db-0.pipeline-db.data.svc:5432/postgres")
        .containsEntry(GROUP + "MEMBERS_NODE1_POD", "pipeline-db-0")
        .containsEntry(GROUP + "MEMBERS_NODE2_POD", "pipeline-db-1")
        // Left out of the values: the service's own default applies.
        .doesNotContainKeys(GROUP + "SUCCESS_THRESHOLD", GROUP + "PROMOTE_TIMEOUT");
    assertThat(config.keySet()).noneMatch(key -> key.contains("PASSWORD"));
  }

  @Test
  void aGroupsPasswordIsOnlyASecretReference() {
    EnvVar password =
        Renders.PRODUCTION.container("failover-service").getEnv().stream()
            .filter(e -> e.getName().equals(GROUP + "PASSWORD"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + GROUP + "PASSWORD"));

    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef())
        .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
        .containsExactly("bulwark-pipeline-db", "failover-password");
  }

  @Test
  void aMemberWithoutAPodAndADefaultInstallRenderNoSuchSetting() {
    RenderedChart rendered =
        Chart.render(
            null,
            "failoverService.groups.web.kind",
            "http",
            "failoverService.groups.web.members.blue.url",
            "http://blue.web.svc:8080/health",
            "failoverService.groups.web.members.green.url",
            "http://green.web.svc:8080/health");

    Map<String, String> config = rendered.config("failover-service").getData();
    assertThat(config)
        .containsEntry("BULWARK_FAILOVER_GROUPS_WEB_KIND", "http")
        .containsEntry(
            "BULWARK_FAILOVER_GROUPS_WEB_MEMBERS_BLUE_URL", "http://blue.web.svc:8080/health")
        .doesNotContainKeys(
            "BULWARK_FAILOVER_GROUPS_WEB_MEMBERS_BLUE_POD", "BULWARK_FAILOVER_GROUPS_WEB_PERIOD");
    assertThat(rendered.container("failover-service").getEnv())
        .noneMatch(e -> e.getName().startsWith("BULWARK_FAILOVER_GROUPS_"));
    assertThat(Renders.DEFAULTS.config("failover-service").getData().keySet())
        .noneMatch(key -> key.startsWith("BULWARK_FAILOVER_"));
  }

  @Test
  void aValuesFileWithAnInlinePasswordIsRefusedWithoutRepeatingIt(@TempDir Path dir)
      throws IOException {
    Path values = dir.resolve("inline-password.yaml");
    Files.writeString(
        values,
        """
        failoverService:
          groups:
            pipeline:
              kind: postgres
              password: hunter2-inline
              members:
                node1: {url: "postgresql://db-0:5432/postgres"}
                node2: {url: "postgresql://db-1:5432/postgres"}
        """);

    assertThatThrownBy(() -> Chart.template(values))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(
            "- failoverService.groups.pipeline: Additional property password is not allowed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-inline"));
  }

  @Test
  void refusesGroupsFailoverServiceCouldNotRun() {
    assertRefused(
        "kind",
        "redis",
        "failoverService.groups.pipeline.kind: failoverService.groups.pipeline.kind must be one"
            + " of the following: \"postgres\", \"http\", \"tcp\"");
    assertRefused(
        "failureThreshold",
        "0",
        "failoverService.groups.pipeline.failureThreshold: Must be greater than or equal to 1");
    assertRefused(
        "period",
        "1",
        "failoverService.groups.pipeline.period: Invalid type. Expected: string, given: integer");
    assertRefused(
        "period", "soon", "failoverService.groups.pipeline.period: Does not match pattern");
    assertRefused(
        "passwordSecret.name",
        "",
        "failoverService.groups.pipeline.passwordSecret.name: String length must be greater than"
            + " or equal to 1");
  }

  @Test
  void refusesAGroupWithFewerThanTwoMembers() {
    assertThatThrownBy(
            () ->
                Chart.template(
                    null,
                    "failoverService.groups.solo.kind",
                    "tcp",
                    "failoverService.groups.solo.members.only.url",
                    "tcp://solo.data.svc:5432"))
        .hasMessageContaining("- failoverService.groups.solo.members: Must have at least 2");
  }

  /** The production values with one setting of their group changed, refused by the schema. */
  private static void assertRefused(String key, String value, String reason) {
    assertThatThrownBy(
            () ->
                Chart.template(
                    Chart.PRODUCTION_VALUES, "failoverService.groups.pipeline." + key, value))
        .as("--set %s=%s", key, value)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("- " + reason);
  }
}
