package dev.bulwark.backup.exported;

import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What bucket mirroring exports: copy counters counted by the replica that copied, and gauges of
 * each mirror's last run read from the database, the same on every replica.
 */
@ApplicationScoped
public class MirrorMetrics {

  private final MeterRegistry registry;
  private final GaugeFamily lastSuccess;
  private final GaugeFamily lastRun;
  private final GaugeFamily lastRunFailed;
  private final GaugeFamily pending;
  private final Freshness freshness;

  public MirrorMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.lastSuccess =
        GaugeFamily.register(
            registry,
            "bulwark.mirror.last.success.timestamp.seconds",
            "End of the mirror's last run that left nothing pending and nothing failed, Unix time");
    this.lastRun =
        GaugeFamily.register(
            registry,
            "bulwark.mirror.last.run.timestamp.seconds",
            "End of the mirror's last run, whatever its outcome, Unix time");
    this.lastRunFailed =
        GaugeFamily.register(
            registry,
            "bulwark.mirror.last.run.failed.objects",
            "Objects the mirror's last run failed to copy or delete");
    this.pending =
        GaugeFamily.register(
            registry,
            "bulwark.mirror.objects.pending",
            "Objects the mirror's last run found to copy but did not try (it stopped)");
    this.freshness =
        Freshness.register(registry, "bulwark.mirror.gauges", "the mirrors' last runs", clock);
  }

  /** Counts one object copied by {@code mirror}. */
  public void copied(String mirror, long bytes) {
    Counter.builder("bulwark.mirror.copied.objects")
        .description("Objects copied to the mirror's destination")
        .tag("mirror", mirror)
        .register(registry)
        .increment();
    Counter.builder("bulwark.mirror.copied.bytes")
        .description("Bytes copied to the mirror's destination")
        .tag("mirror", mirror)
        .register(registry)
        .increment(bytes);
  }

  /** Sets the rows of one mirror's last run; {@link #publish} makes the rows set the gauges. */
  public void lastRun(
      String mirror,
      Instant finishedAt,
      Optional<Instant> lastSuccessAt,
      long failedObjects,
      Optional<Long> pendingObjects) {
    lastRun.row(seconds(finishedAt), "mirror", mirror);
    lastSuccessAt.ifPresent(at -> lastSuccess.row(seconds(at), "mirror", mirror));
    lastRunFailed.row(failedObjects, "mirror", mirror);
    pendingObjects.ifPresent(n -> pending.row(n, "mirror", mirror));
  }

  /** Replaces the gauges with the rows set since the last publish. */
  public void publish() {
    lastRun.publish();
    lastSuccess.publish();
    lastRunFailed.publish();
    pending.publish();
  }

  public Freshness freshness() {
    return freshness;
  }

  private static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
