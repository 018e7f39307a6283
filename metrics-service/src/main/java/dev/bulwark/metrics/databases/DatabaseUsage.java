package dev.bulwark.metrics.databases;

import dev.bulwark.common.logging.OutageLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Checks each target database's size and connections against its plan tier. An unreachable target
 * keeps its last values, marked by {@code bulwark_database_up 0}.
 */
@ApplicationScoped
public class DatabaseUsage {

  private static final Logger LOG = Logger.getLogger(DatabaseUsage.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  /** The last values read from one target. */
  record Reading(long sizeBytes, long connections, long maxConnections) {}

  private final List<DatabaseTarget> targets;
  private final OutageLog outages;
  private final Map<String, Reading> readings = new ConcurrentHashMap<>();
  private final Map<String, Boolean> up = new ConcurrentHashMap<>();

  public DatabaseUsage(DatabaseTargets targets, OutageLog outages, MeterRegistry registry) {
    this.targets = targets.all();
    this.outages = outages;
    for (DatabaseTarget t : this.targets) {
      Tags tags = Tags.of("database", t.name());
      Gauge.builder("bulwark.database.up", () -> up.getOrDefault(t.name(), false) ? 1 : 0)
          .tags(tags)
          .description("1 when the last check of the target database succeeded")
          .register(registry);
      Gauge.builder("bulwark.database.size.limit.bytes", () -> t.limitBytes())
          .tags(tags.and("tier", t.tier()))
          .description("Database size included in the target's plan tier")
          .register(registry);
      reading(
          registry,
          t,
          "bulwark.database.size.bytes",
          "Size of the target database",
          r -> r.sizeBytes());
      reading(
          registry,
          t,
          "bulwark.database.usage.ratio",
          "Database size / its tier's included size",
          r -> (double) r.sizeBytes() / t.limitBytes());
      reading(
          registry,
          t,
          "bulwark.database.connections",
          "Client connections to the target's server",
          r -> r.connections());
      reading(
          registry,
          t,
          "bulwark.database.max.connections",
          "The target server's max_connections",
          r -> r.maxConnections());
    }
  }

  @Scheduled(
      every = "${bulwark.metrics.database-check-every:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> check() {
    if (targets.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.join()
        .all(targets.stream().map(this::check).toList())
        .andCollectFailures()
        .replaceWithVoid();
  }

  Uni<Void> check(DatabaseTarget t) {
    String source = "database " + t.name();
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
              var row = rows.iterator().next();
              readings.put(
                  t.name(),
                  new Reading(
                      row.getLong("size"),
                      row.getLong("connections"),
                      row.getLong("max_connections")));
              up.put(t.name(), true);
              outages.succeeded(source);
            })
        .onFailure()
        .invoke(
            f -> {
              up.put(t.name(), false);
              if (!outages.failed(source, f)) {
                LOG.debugf("%s still unreachable", source);
              }
            })
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private void reading(
      MeterRegistry registry,
      DatabaseTarget t,
      String name,
      String help,
      java.util.function.ToDoubleFunction<Reading> value) {
    // NaN until the first successful check: Prometheus drops NaN samples from comparisons.
    Gauge.builder(
            name,
            () -> {
              Reading r = readings.get(t.name());
              return r == null ? Double.NaN : value.applyAsDouble(r);
            })
        .tags(Tags.of("database", t.name()))
        .description(help)
        .register(registry);
  }
}
