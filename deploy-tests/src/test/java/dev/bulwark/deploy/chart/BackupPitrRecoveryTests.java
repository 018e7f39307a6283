package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * backupService.pitr's base backup, retention and restore settings, and backup-service's wiring to
 * failover-service (its URL, its token, each PITR target's failover group), reach the container.
 */
class BackupPitrRecoveryTests {

  private static final String PITR = "BULWARK_BACKUP_PITR_";

  @Test
  void baseBackupAndRestoreSettingsReachTheConfigMapOnlyWhenSet() {
    Map<String, String> production = Renders.PRODUCTION.config("backup-service").getData();
    Map<String, String> defaults = Renders.DEFAULTS.config("backup-service").getData();

    assertThat(production)
        .containsEntry(PITR + "BASE_SCHEDULE", "0 30 1 * * ?")
        .containsEntry(PITR + "VERIFY_SCHEDULE", "0 0 5 ? * SUN")
        .containsEntry(PITR + "WINDOW", "14d")
        .containsEntry(PITR + "RECOVERY_TIMEOUT", "2h")
        .doesNotContainKey(PITR + "RETENTION_EVERY");
    assertThat(defaults)
        .doesNotContainKeys(
            PITR + "BASE_SCHEDULE",
            PITR + "VERIFY_SCHEDULE",
            PITR + "WINDOW",
            PITR + "RETENTION_EVERY",
            PITR + "RECOVERY_TIMEOUT");
  }

  @Test
  void restoresUnpackOnTheScratchClaimNotInTmp() {
    // The service's own default is ${java.io.tmpdir}: the 256Mi emptyDir, too small for a restore.
    assertThat(Renders.DEFAULTS.config("backup-service").getData())
        .containsEntry(PITR + "SCRATCH_DIR", "/var/lib/bulwark/scratch/pitr-scratch");
    assertThatThrownBy(() -> Chart.template(null, "backupService.pitr.scratchDir", "/tmp/restores"))
        .hasMessageContaining(
            "backupService.pitr.scratchDir \"/tmp/restores\" must be under"
                + " backupService.scratch.mountPath \"/var/lib/bulwark/scratch\"");
    assertThat(
            Chart.render(null, "backupService.pitr.scratchDir", "/var/lib/bulwark/scratch/r")
                .config("backup-service")
                .getData())
        .containsEntry(PITR + "SCRATCH_DIR", "/var/lib/bulwark/scratch/r");
  }

  @Test
  void aTargetsFailoverGroupAndTheTokenForFailoverServiceReachTheContainer() {
    assertThat(Renders.PRODUCTION.config("backup-service").getData())
        .containsEntry(PITR + "TARGETS_PIPELINE_FAILOVER_GROUP", "pipeline");
    assertThat(token(Renders.PRODUCTION))
        .hasValueSatisfying(
            token -> {
              assertThat(token.getValue()).isNull();
              assertThat(token.getValueFrom().getSecretKeyRef())
                  .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
                  .containsExactly("bulwark-backup-service", "failover-token");
            });
    assertThat(token(Renders.DEFAULTS)).isEmpty();
    assertThat(Renders.DEFAULTS.config("backup-service").getData().keySet())
        .noneMatch(key -> key.endsWith("_FAILOVER_GROUP"));
  }

  @Test
  void refusesAFailoverGroupWithoutATokenSecret() {
    assertThatThrownBy(
            () ->
                Chart.template(
                    Chart.PRODUCTION_VALUES, "backupService.pitr.failover.existingSecret", ""))
        .hasMessageContaining(
            "backupService.pitr.targets.pipeline.failoverGroup needs"
                + " backupService.pitr.failover.existingSecret");
  }

  @Test
  void aFailoverGroupsMemberAddressesComeFromItsMemberUrlsOrFromTheTarget() {
    // failover-service names the primary member; backup-service needs that member's host:port.
    assertThat(Renders.PRODUCTION.config("backup-service").getData())
        .containsEntry(
            PITR + "TARGETS_PIPELINE_FAILOVER_MEMBERS_NODE1",
            "pipeline-db-0.pipeline-db.data.svc:5432")
        .containsEntry(
            PITR + "TARGETS_PIPELINE_FAILOVER_MEMBERS_NODE2",
            "pipeline-db-1.pipeline-db.data.svc:5432");
    assertThat(
            Chart.render(
                    Chart.PRODUCTION_VALUES,
                    "backupService.pitr.targets.pipeline.failoverMembers.node2",
                    "10.0.0.7:6432")
                .config("backup-service")
                .getData())
        .containsEntry(PITR + "TARGETS_PIPELINE_FAILOVER_MEMBERS_NODE2", "10.0.0.7:6432")
        .containsEntry(
            PITR + "TARGETS_PIPELINE_FAILOVER_MEMBERS_NODE1",
            "pipeline-db-0.pipeline-db.data.svc:5432");
  }

  @Test
  void refusesAFailoverGroupWhoseMembersHaveNoAddress() {
    assertThatThrownBy(
            () ->
                Chart.template(
                    Chart.PRODUCTION_VALUES,
                    "backupService.pitr.targets.pipeline.failoverGroup",
                    "elsewhere"))
        .hasMessageContaining(
            "backupService.pitr.targets.pipeline.failoverGroup \"elsewhere\": no member addresses");
    assertRefused(
        "backupService.pitr.targets.pipeline.failoverMembers.node1",
        "pipeline-db-0",
        "backupService.pitr.targets.pipeline.failoverMembers.node1: Does not match pattern");
  }

  @Test
  void refusesRecoveryValuesTheServiceCouldNotRead() {
    assertRefused("backupService.pitr.baseSchedule", "daily", "backupService.pitr.baseSchedule");
    assertRefused("backupService.pitr.window", "a week", "backupService.pitr.window");
    assertRefused(
        "backupService.pitr.targets.pipeline.failoverGroup",
        "Pipeline-DB",
        "backupService.pitr.targets.pipeline.failoverGroup: Does not match pattern");
    assertRefused(
        "backupService.pitr.failover.existingSecret",
        "Not_A_Secret",
        "backupService.pitr.failover.existingSecret");
  }

  private static Optional<EnvVar> token(RenderedChart rendered) {
    return rendered.container("backup-service").getEnv().stream()
        .filter(e -> e.getName().equals("BULWARK_BACKUP_FAILOVER_TOKEN"))
        .findFirst();
  }

  private static void assertRefused(String key, String value, String reason) {
    assertThatThrownBy(() -> Chart.template(Chart.PRODUCTION_VALUES, key, value))
        .as("--set %s=%s", key, value)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("- " + reason);
  }
}
