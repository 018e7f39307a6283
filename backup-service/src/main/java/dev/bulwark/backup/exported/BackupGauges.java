package dev.bulwark.backup.exported;

import dev.bulwark.backup.config.BackupConfig;
import dev.bulwark.backup.config.BackupMetricsConfig;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.StoredBackup;
import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Per-target gauges of the backups in storage (newest backup, its duration and size, how many are
 * retained, the latest verification), refreshed on every replica from storage, which is the same
 * for all of them; {@code bulwark_backup_gauges_up} is 0 while storage cannot be read and the
 * values beside it are stale.
 */
@ApplicationScoped
public class BackupGauges {

  /** The job's name in logs and job metrics. */
  public static final String JOB = "backup-gauges";

  /** The kind label of logical backups (pg_dump); base backups will get their own. */
  static final String LOGICAL = "logical";

  /** One target's backups and their verifications, as read from storage. */
  record TargetBackups(String target, List<BackupManifest> backups, List<Verified> verified) {}

  /** A backup with its latest verification. */
  record Verified(BackupManifest backup, BackupVerification verification) {}

  private final Backups backups;
  private final BackupConfig config;
  private final Jobs jobs;
  private final Freshness freshness;
  private final GaugeFamily lastSuccess;
  private final GaugeFamily lastDuration;
  private final GaugeFamily lastSize;
  private final GaugeFamily retained;
  private final GaugeFamily verificationPassed;
  private final GaugeFamily verificationLast;
  private final GaugeFamily lastVerifiedSuccess;

  /**
   * {@code metricsConfig} is read by the {@code @Scheduled} expression only; injecting it is what
   * makes Quarkus register its mapping (and its default), which the expression resolves against.
   */
  public BackupGauges(
      Backups backups,
      BackupConfig config,
      BackupMetricsConfig metricsConfig,
      Jobs jobs,
      MeterRegistry registry,
      Clock clock) {
    this.backups = backups;
    this.config = config;
    this.jobs = jobs;
    freshness = Freshness.register(registry, "bulwark.backup.gauges", "backup storage", clock);
    lastSuccess =
        GaugeFamily.register(
            registry,
            "bulwark.backup.last.success.timestamp.seconds",
            "When the newest backup of the target finished, Unix time");
    lastDuration =
        GaugeFamily.register(
            registry,
            "bulwark.backup.last.duration.seconds",
            "How long the newest backup of the target took");
    lastSize =
        GaugeFamily.register(
            registry,
            "bulwark.backup.last.size.bytes",
            "Stored (compressed, encrypted) size of the newest backup of the target");
    retained =
        GaugeFamily.register(
            registry, "bulwark.backup.retained", "Backups of the target in storage (0: none)");
    verificationPassed =
        GaugeFamily.register(
            registry,
            "bulwark.backup.verification.passed",
            "1 when the target's latest verification passed, 0 when it failed");
    verificationLast =
        GaugeFamily.register(
            registry,
            "bulwark.backup.verification.last.timestamp.seconds",
            "When the target's latest verification finished, Unix time");
    lastVerifiedSuccess =
        GaugeFamily.register(
            registry,
            "bulwark.backup.last.verified.success.timestamp.seconds",
            "When the newest backup that passed verification finished, Unix time");
  }

  @Scheduled(
      every = "${bulwark.backup.metrics.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return jobs.onEveryReplica(
        JOB,
        () ->
            freshness.track(
                Uni.createFrom()
                    .item(this::read)
                    // Storage calls block: off the event loop.
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .invoke(this::publish)));
  }

  private List<TargetBackups> read() {
    return new TreeSet<>(config.targets().keySet()).stream().map(this::read).toList();
  }

  private TargetBackups read(String target) {
    List<StoredBackup> stored = backups.withVerifications(target);
    List<Verified> verified =
        stored.stream()
            .flatMap(b -> b.verification().map(v -> new Verified(b.manifest(), v)).stream())
            .toList();
    return new TargetBackups(
        target, stored.stream().map(StoredBackup::manifest).toList(), verified);
  }

  private void publish(List<TargetBackups> all) {
    for (TargetBackups t : all) {
      String[] labels = {"target", t.target(), "kind", LOGICAL};
      retained.row(t.backups().size(), labels);
      // Backups.of lists newest first.
      t.backups().stream()
          .findFirst()
          .ifPresent(
              newest -> {
                lastSuccess.row(seconds(newest.finishedAt()), labels);
                lastDuration.row(
                    Duration.between(newest.startedAt(), newest.finishedAt()).toMillis() / 1000.0,
                    labels);
                lastSize.row(newest.storedBytes(), labels);
              });
      latest(t.verified())
          .ifPresent(
              v -> {
                verificationPassed.row(v.passed() ? 1 : 0, "target", t.target());
                verificationLast.row(seconds(v.finishedAt()), "target", t.target());
              });
      t.verified().stream()
          .filter(v -> v.verification().passed())
          .findFirst()
          .ifPresent(
              v -> lastVerifiedSuccess.row(seconds(v.backup().finishedAt()), "target", t.target()));
    }
    List.of(
            lastSuccess,
            lastDuration,
            lastSize,
            retained,
            verificationPassed,
            verificationLast,
            lastVerifiedSuccess)
        .forEach(GaugeFamily::publish);
  }

  private static Optional<BackupVerification> latest(List<Verified> verified) {
    return verified.stream()
        .map(Verified::verification)
        .max(Comparator.comparing(BackupVerification::finishedAt));
  }

  private static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
