package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * backupService.pitr and backupService.archive reach backup-service as the environment names
 * PitrConfig, PagesConfig and LlmCallsConfig read, and the WAL spool lands on a writable volume.
 */
class BackupPitrAndArchiveTests {

  @Test
  void pitrTargetsAndLimitsReachTheConfigMap() {
    Map<String, String> config = Renders.PRODUCTION.config("backup-service").getData();

    assertThat(config)
        .containsEntry("BULWARK_BACKUP_PITR_TARGETS_PIPELINE_ENABLED", "true")
        .containsEntry(
            "BULWARK_BACKUP_PITR_TARGETS_PIPELINE_HOSTS",
            "pipeline-db-0.pipeline-db.data.svc:5432,pipeline-db-1.pipeline-db.data.svc:5432")
        // Whole numbers, not Helm's floats (4.294967296e+09).
        .containsEntry("BULWARK_BACKUP_PITR_SPOOL_LIMIT", "4294967296")
        .containsEntry("BULWARK_BACKUP_PITR_SLOT_LIMIT", "21474836480")
        .doesNotContainKey("BULWARK_BACKUP_PITR_TARGETS_PIPELINE_SYNCHRONOUS");
  }

  @Test
  void archiveSettingsReachTheConfigMapOnlyWhenSet() {
    assertThat(Renders.PRODUCTION.config("backup-service").getData())
        .containsEntry("BULWARK_BACKUP_PAGES_MAX_PAGE_SIZE", "4M")
        .containsEntry("BULWARK_BACKUP_PAGES_RETENTION", "180d")
        .containsEntry("BULWARK_BACKUP_PAGES_RECOMPACT_AFTER", "3d")
        .containsEntry("BULWARK_BACKUP_LLM_CALLS_RETENTION", "730d");
    assertThat(Renders.DEFAULTS.config("backup-service").getData().keySet())
        .noneMatch(key -> key.startsWith("BULWARK_BACKUP_PAGES_"))
        .noneMatch(key -> key.startsWith("BULWARK_BACKUP_LLM_CALLS_"))
        .noneMatch(key -> key.startsWith("BULWARK_BACKUP_PITR_TARGETS_"));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("dev.bulwark.deploy.chart.Renders#both")
  void theSpoolIsOnThePodsWritableScratchClaim(String values, RenderedChart rendered) {
    String spool = rendered.config("backup-service").getData().get("BULWARK_BACKUP_PITR_SPOOL_DIR");
    VolumeMount mount =
        rendered.container("backup-service").getVolumeMounts().stream()
            .filter(m -> spool != null && spool.startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted above the spool " + spool));
    Volume volume =
        rendered
            .of(Deployment.class, "backup-service")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();

    assertThat(spool).isEqualTo("/var/lib/bulwark/scratch/pitr-spool");
    assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    assertThat(
            rendered.container("backup-service").getSecurityContext().getReadOnlyRootFilesystem())
        .as("only a volume can hold the spool")
        .isTrue();
    assertThat(volume.getEphemeral().getVolumeClaimTemplate().getSpec().getAccessModes())
        .containsExactly("ReadWriteOnce");
  }

  @Test
  void refusesASpoolOffTheScratchVolume() {
    assertThatThrownBy(() -> Chart.template(null, "backupService.pitr.spoolDir", "/tmp/spool"))
        .hasMessageContaining(
            "backupService.pitr.spoolDir \"/tmp/spool\" must be under"
                + " backupService.scratch.mountPath \"/var/lib/bulwark/scratch\"");
    RenderedChart elsewhere =
        Chart.render(
            null,
            "backupService.scratch.mountPath",
            "/scratch",
            "backupService.pitr.spoolDir",
            "/scratch/wal");
    assertThat(elsewhere.config("backup-service").getData())
        .containsEntry("BULWARK_BACKUP_PITR_SPOOL_DIR", "/scratch/wal");
  }

  @Test
  void refusesAPitrTargetThatIsNoBackupTarget() {
    assertThatThrownBy(
            () -> Chart.template(null, "backupService.pitr.targets.orders.enabled", "true"))
        .hasMessageContaining("backupService.pitr.targets.orders: no backupService.targets.orders");
  }

  @Test
  void refusesPitrAndArchiveValuesTheServiceCouldNotRead() {
    assertRefused(
        "backupService.pitr.targets.pipeline.hosts[0]",
        "pipeline-db-0",
        "backupService.pitr.targets.pipeline.hosts.0: Does not match pattern");
    assertRefused(
        "backupService.pitr.spoolLimit",
        "0",
        "backupService.pitr.spoolLimit: Must be greater than or equal to 1");
    assertRefused(
        "backupService.archive.pages.retention",
        "a year",
        "backupService.archive.pages.retention: Must validate at least one schema (anyOf)");
    assertRefused(
        "backupService.archive.pages.maxPageSize",
        "8MB",
        "backupService.archive.pages.maxPageSize: Does not match pattern");
  }

  private static void assertRefused(String key, String value, String reason) {
    assertThatThrownBy(() -> Chart.template(Chart.PRODUCTION_VALUES, key, value))
        .as("--set %s=%s", key, value)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("- " + reason);
  }
}
