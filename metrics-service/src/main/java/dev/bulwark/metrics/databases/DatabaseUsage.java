package dev.bulwark.metrics.databases;

import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks each target database's size and connections against its plan tier. An unreachable target
 * keeps its last values, marked by {@code bulwark_database_up 0}; a target never reached has no
 * values at all, never a fake zero.
 */
@ApplicationScoped
public class DatabaseUsage {

  /** Job names are this prefix and the target's name: each target's outage is logged apart. */
  public static final String JOB_PREFIX = "database-usage-";

  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  /** The last values read from one target. */
  record Reading(long sizeBytes, long connections, long maxConnections) {

    static Reading from(Row row) {
      return new Reading(
          row.getLong("size"), row.getLong("connections"), row.getLong("max_connections"));
    }
  }

  private final List<DatabaseTarget> targets;
  private final Jobs jobs;
  private final Map<String, Reading> readings = new ConcurrentHashMap<>();
  private final Map<String, Boolean> up = new ConcurrentHashMap<>();

  private final GaugeFamily upGauge;
  private final GaugeFamily sizeBytes;
  private final GaugeFamily usageRatio;
  private final GaugeFamily connections;
  private final GaugeFamily maxConnections;

  public DatabaseUsage(DatabaseTargets targets, Jobs jobs, MeterRegistry registry) {
    this.targets = targets.all();
    this.jobs = jobs;
    upGauge =
        GaugeFamily.register(
            registry,
            "bulwark.database.up",
            "1 when the last check of the target database succeeded; 0: its values are stale");
    sizeBytes = GaugeFamily.register(registry, "bulwark.database.size.bytes", "Size of the target");
    usageRatio =
        GaugeFamily.register(
            registry, "bulwark.database.usage.ratio", "Database size / its tier's included size");
    connections =
        GaugeFamily.register(
            registry, "bulwark.database.connections", "Client connections to the target's server");
    maxConnections =
        GaugeFamily.register(
            registry, "bulwark.database.max.connections", "The target server's max_connections");
    GaugeFamily limits =
        GaugeFamily.register(
            registry,
            "bulwark.database.size.limit.bytes",
            "Database size included in the target's plan tier");
    this.targets.forEach(t -> limits.row(t.limitBytes(), "database", t.name(), "tier", t.tier()));
    limits.publish();
    publish();
  }

  @Scheduled(
      every = "${bulwark.metrics.database-check-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> check() {
    if (targets.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // Jobs' Unis never fail, so one unreachable target cannot hold up the others' results.
    return Uni.join()
        .all(
            targets.stream()
                .map(t -> jobs.onEveryReplica(JOB_PREFIX + t.name(), () -> check(t)))
                .toList())
        .andFailFast()
        .replaceWithVoid();
  }

  private Uni<Void> check(DatabaseTarget t) {
    return t.pool()
        .query(
            """
            SELECT pg_database_size(current_database()) AS size,
                   (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
                   current_setting('max_connections')::bigint AS max_connections""")
        .execute()
        .ifNoItem()
        .after(CHECK_TIMEOUT)
        .fail()
        .invoke(
            rows -> {
              readings.put(t.name(), Reading.from(rows.iterator().next()));
              up.put(t.name(), true);
              publish();
            })
        .onFailure()
        .invoke(
            f -> {
              up.put(t.name(), false);
              publish();
            })
        .replaceWithVoid();
  }

  /** Publishes every target's readings, then up: a scrape never pairs up 1 with old values. */
  private synchronized void publish() {
    for (DatabaseTarget t : targets) {
      Optional.ofNullable(readings.get(t.name()))
          .ifPresent(
              r -> {
                sizeBytes.row(r.sizeBytes(), "database", t.name());
                usageRatio.row((double) r.sizeBytes() / t.limitBytes(), "database", t.name());
                connections.row(r.connections(), "database", t.name());
                maxConnections.row(r.maxConnections(), "database", t.name());
              });
    }
    sizeBytes.publish();
    usageRatio.publish();
    connections.publish();
    maxConnections.publish();
    targets.forEach(
        t -> upGauge.row(up.getOrDefault(t.name(), false) ? 1 : 0, "database", t.name()));
    upGauge.publish();
  }
}
