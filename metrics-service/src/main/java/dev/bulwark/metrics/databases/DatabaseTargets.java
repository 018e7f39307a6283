package dev.bulwark.metrics.databases;

import dev.bulwark.metrics.config.MetricsConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The configured databases to watch, each with its tier limit resolved at start. */
@Singleton
public class DatabaseTargets {

  static final String CUSTOM = "custom";

  private final List<DatabaseTarget> targets = new ArrayList<>();

  public DatabaseTargets(MetricsConfig config, Vertx vertx) {
    for (Map.Entry<String, MetricsConfig.Database> e :
        new TreeMap<>(config.databases()).entrySet()) {
      MetricsConfig.Database db = e.getValue();
      long limit = limitBytes(e.getKey(), db, config.tiers());
      PgConnectOptions options =
          PgConnectOptions.fromUri(db.url()).setConnectTimeout(5_000).setReconnectAttempts(0);
      db.username().ifPresent(options::setUser);
      db.password().ifPresent(options::setPassword);
      var pool =
          PgBuilder.pool()
              // vertx-sql-client#1706's timer race is kept out of the log by common's
              // VertxUncaughtErrors, for these pools as for the service's own.
              .with(new PoolOptions().setMaxSize(1).setIdleTimeout(60))
              .connectingTo(options)
              .using(vertx.getDelegate())
              .build();
      targets.add(
          new DatabaseTarget(
              e.getKey(), db.tier(), limit, io.vertx.mutiny.sqlclient.Pool.newInstance(pool)));
    }
  }

  public List<DatabaseTarget> all() {
    return targets;
  }

  /** The tier's included size, or the explicit limit; a config mistake stops the start. */
  static long limitBytes(String name, MetricsConfig.Database db, Map<String, MemorySize> tiers) {
    if (db.limit().isPresent()) {
      return db.limit().get().asLongValue();
    }
    if (CUSTOM.equals(db.tier())) {
      throw new IllegalArgumentException(
          "bulwark.metrics.databases."
              + name
              + ": tier 'custom' needs a limit, for example limit=20G");
    }
    MemorySize size = tiers.get(db.tier());
    if (size == null) {
      throw new IllegalArgumentException(
          "bulwark.metrics.databases."
              + name
              + ".tier: unknown tier '"
              + db.tier()
              + "'; known tiers: "
              + new TreeMap<>(tiers).keySet()
              + ", or custom with a limit");
    }
    return size.asLongValue();
  }

  @PreDestroy
  void close() {
    targets.forEach(t -> t.pool().close().subscribe().with(ignored -> {}, failure -> {}));
  }
}
