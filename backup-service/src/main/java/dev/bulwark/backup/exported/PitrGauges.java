package dev.bulwark.backup.exported;

import dev.bulwark.backup.pitr.base.PitrTargets;
import dev.bulwark.backup.pitr.restore.VerifiedRestore;
import dev.bulwark.backup.pitr.restore.VerifiedRestores;
import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * {@code bulwark_backup_pitr_last_verified_restore_timestamp_seconds{target}}: when a restore of
 * the target to latest last started and answered, read from storage on every replica (absent while
 * never verified); {@code bulwark_backup_pitr_verified_up} is 0 while storage cannot be read.
 */
@ApplicationScoped
public class PitrGauges {

  private final PitrTargets targets;
  private final VerifiedRestores verified;
  private final Jobs jobs;
  private final Freshness freshness;
  private final GaugeFamily lastVerified;

  public PitrGauges(
      PitrTargets targets,
      VerifiedRestores verified,
      Jobs jobs,
      MeterRegistry registry,
      Clock clock) {
    this.targets = targets;
    this.verified = verified;
    this.jobs = jobs;
    freshness =
        Freshness.register(registry, "bulwark.backup.pitr.verified", "PITR verifications", clock);
    lastVerified =
        GaugeFamily.register(
            registry,
            "bulwark.backup.pitr.last.verified.restore.timestamp.seconds",
            "When a restore of the target to latest last started and answered, Unix time");
  }

  @Scheduled(
      every = "${bulwark.backup.metrics.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return jobs.onEveryReplica(
        "pitr-gauges",
        () ->
            freshness.track(
                Uni.createFrom()
                    .item(this::read)
                    // Storage calls block: off the event loop.
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .invoke(this::publish)));
  }

  private List<VerifiedRestore> read() {
    return targets.names().stream()
        .flatMap(
            target -> {
              try {
                return verified.of(target).stream();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  private void publish(List<VerifiedRestore> all) {
    for (VerifiedRestore v : all) {
      lastVerified.row(v.verifiedAt().toEpochMilli() / 1000.0, "target", v.target());
    }
    lastVerified.publish();
  }
}
