package dev.bulwark.backup.exported;

import dev.bulwark.backup.config.VerificationConfig;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * The stored verification results as gauges, per target: whether the verification of its newest
 * verified backup passed, when it finished and how many mismatches it found. Read from storage on
 * every replica, so every replica exports the same values.
 */
@ApplicationScoped
public class VerificationGauges {

  static final String JOB = "backup-verification-gauges";

  private final Backups backups;
  private final BackupTargets targets;
  private final Jobs jobs;
  private final GaugeFamily passed;
  private final GaugeFamily finished;
  private final GaugeFamily mismatches;
  private final Freshness freshness;

  /**
   * {@code config} is not read here: it holds the interval's one default, which {@code @Scheduled}
   * reads by name, and injecting it is what registers the mapping.
   */
  public VerificationGauges(
      Backups backups,
      BackupTargets targets,
      Jobs jobs,
      MeterRegistry registry,
      Clock clock,
      VerificationConfig config) {
    this.backups = backups;
    this.targets = targets;
    this.jobs = jobs;
    this.passed =
        GaugeFamily.register(
            registry,
            "bulwark.backup.verification.passed",
            "1 when the verification of the target's newest verified backup passed, else 0");
    this.finished =
        GaugeFamily.register(
            registry,
            "bulwark.backup.verification.timestamp.seconds",
            "When the verification of the target's newest verified backup finished, Unix time");
    this.mismatches =
        GaugeFamily.register(
            registry,
            "bulwark.backup.verification.mismatches",
            "Mismatches the verification of the target's newest verified backup found");
    this.freshness =
        Freshness.register(
            registry, "bulwark.backup.verification.gauges", "stored verifications", clock);
  }

  @Scheduled(
      every = "${bulwark.backup.verification.gauges-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    // Storage reads block: off the event loop.
    return jobs.onEveryReplica(
        JOB,
        () ->
            freshness.track(
                Uni.createFrom()
                    .item(
                        () -> {
                          readAndPublish();
                          return true;
                        })
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())));
  }

  /**
   * Reads each target's newest verification and publishes it; a target never verified is absent.
   */
  void readAndPublish() {
    for (String target : targets.names()) {
      Optional<BackupVerification> newest = backups.newestVerification(target);
      newest.ifPresent(
          v -> {
            passed.row(v.passed() ? 1 : 0, "target", target);
            finished.row(v.finishedAt().toEpochMilli() / 1000.0, "target", target);
            mismatches.row(v.mismatches().size(), "target", target);
          });
    }
    passed.publish();
    finished.publish();
    mismatches.publish();
  }
}
