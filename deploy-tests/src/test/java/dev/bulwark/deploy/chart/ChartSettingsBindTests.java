package dev.bulwark.deploy.chart;

import static dev.bulwark.deploy.chart.ServiceConfig.entry;
import static dev.bulwark.deploy.chart.ServiceConfig.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The environment names the chart renders are the ones the services read: SmallRye Config binds the
 * rendered ConfigMap and secret references to failover-service's and backup-service's
 * {@code @ConfigMapping} interfaces from their built jars, with the values the chart was given.
 */
class ChartSettingsBindTests {

  @Test
  void failoverServiceBindsTheRenderedGroup() {
    Object failover =
        ServiceConfig.of(
                Renders.PRODUCTION,
                "failover-service",
                "dev.bulwark.failover.config.FailoverConfig")
            .mapping("dev.bulwark.failover.config.FailoverConfig");
    Object group = entry(read(failover, "groups"), "pipeline");

    assertThat(read(group, "kind")).hasToString("POSTGRES");
    assertThat(read(group, "period")).isEqualTo(Duration.ofMillis(500));
    assertThat(read(group, "timeout")).isEqualTo(Duration.ofSeconds(1));
    assertThat(read(group, "cooldown")).isEqualTo(Duration.ofMinutes(10));
    assertThat(read(group, "failureThreshold")).isEqualTo(3);
    assertThat(read(group, "maximumLagOnFailover")).isEqualTo(16_777_216L);
    assertThat(read(group, "username")).isEqualTo("bulwark_failover");
    assertThat(read(group, "password")).isEqualTo(Optional.of("from-a-secret"));
    assertThat(((Map<?, ?>) read(group, "members")).keySet()).isEqualTo(Set.of("node1", "node2"));
    assertThat(read(entry(read(group, "members"), "node2"), "url"))
        .isEqualTo("postgresql://pipeline-db-1.pipeline-db.data.svc:5432/postgres");
    assertThat(read(entry(read(group, "members"), "node1"), "namespace"))
        .isEqualTo(Optional.of("data"));
  }

  @Test
  void backupServiceBindsTheRenderedPitrAndArchiveSettings() {
    ServiceConfig config =
        ServiceConfig.of(
            Renders.PRODUCTION,
            "backup-service",
            "dev.bulwark.backup.config.PitrConfig",
            "dev.bulwark.backup.config.PagesConfig",
            "dev.bulwark.backup.config.LlmCallsConfig");
    Object pitr = config.mapping("dev.bulwark.backup.config.PitrConfig");
    Object target = entry(read(pitr, "targets"), "pipeline");
    Object pages = config.mapping("dev.bulwark.backup.config.PagesConfig");

    assertThat(read(target, "enabled")).isEqualTo(true);
    assertThat(read(target, "hosts"))
        .isEqualTo(
            Optional.of(
                List.of(
                    "pipeline-db-0.pipeline-db.data.svc:5432",
                    "pipeline-db-1.pipeline-db.data.svc:5432")));
    assertThat(read(target, "synchronous")).isEqualTo(false);
    assertThat(read(pitr, "spoolDir"))
        .isEqualTo(Optional.of("/var/lib/bulwark/scratch/pitr-spool"));
    assertThat(read(pitr, "spoolLimit")).isEqualTo(4_294_967_296L);
    assertThat(read(pitr, "slotLimit")).isEqualTo(21_474_836_480L);
    assertThat(read(pages, "retention")).isEqualTo(Duration.ofDays(180));
    assertThat(read(pages, "recompactAfter")).isEqualTo(Duration.ofDays(3));
    assertThat(read(read(pages, "maxPageSize"), "asLongValue")).isEqualTo(4L * 1024 * 1024);
    assertThat(read(config.mapping("dev.bulwark.backup.config.LlmCallsConfig"), "retention"))
        .isEqualTo(Duration.ofDays(730));
  }

  @Test
  void backupServiceBindsTheRenderedBaseBackupAndRestoreSettings() {
    ServiceConfig config =
        ServiceConfig.of(
            Renders.PRODUCTION, "backup-service", "dev.bulwark.backup.config.PitrConfig");
    Object recovery = read(config.mapping("dev.bulwark.backup.config.PitrConfig"), "recovery");

    assertThat(read(recovery, "window")).isEqualTo(Duration.ofDays(14));
    assertThat(read(recovery, "recoveryTimeout")).isEqualTo(Duration.ofHours(2));
    assertThat(read(recovery, "retentionEvery")).isEqualTo(Duration.ofHours(1));
    assertThat(read(recovery, "scratchDir"))
        .isEqualTo(Optional.of("/var/lib/bulwark/scratch/pitr-scratch"));
    // Quartz crons of BaseBackupSchedule and RestoreVerificationSchedule (@Scheduled expressions).
    assertThat(config.value("bulwark.backup.pitr.base-schedule")).contains("0 30 1 * * ?");
    assertThat(config.value("bulwark.backup.pitr.verify-schedule")).contains("0 0 5 ? * SUN");
    assertThat(config.value("quarkus.rest-client.failover-service.url"))
        .contains("http://bulwark-failover-service:8080");
    // The primary from failover-service: the group, its members' addresses (from the failover
    // group's member urls) and the token from its Secret.
    Object target =
        entry(read(config.mapping("dev.bulwark.backup.config.PitrConfig"), "targets"), "pipeline");
    assertThat(read(target, "failoverGroup")).isEqualTo(Optional.of("pipeline"));
    assertThat(read(target, "failoverMembers"))
        .isEqualTo(
            Map.of(
                "node1", "pipeline-db-0.pipeline-db.data.svc:5432",
                "node2", "pipeline-db-1.pipeline-db.data.svc:5432"));
    // The token's Secret variable (BackupPitrRecoveryTests) is the one the service reads it from.
    assertThat(config.builtProperty("bulwark.backup.pitr.failover.token"))
        .contains("${BULWARK_BACKUP_FAILOVER_TOKEN:}");
  }
}
