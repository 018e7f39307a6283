package dev.bulwark.failover.groups;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.exported.GroupMetrics;
import dev.bulwark.failover.exported.StoreMetrics;
import dev.bulwark.failover.leadership.Coordination;
import dev.bulwark.failover.store.EventStore;
import dev.bulwark.failover.store.GroupStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Starts one {@link GroupMonitor} per configured group with the application, stops them with it.
 */
@ApplicationScoped
public class Engine {

  private final FailoverConfig config;
  private final GroupStore store;
  private final EventStore events;
  private final Clock clock;
  private final MeterRegistry registry;
  private final StoreMetrics storeMetrics;
  private final OutageLog outages;
  private final Coordination coordination;
  // Sorted for the listing; concurrent because a test may replace a monitor (downUntilClosed).
  private final Map<String, GroupMonitor> monitors = new ConcurrentSkipListMap<>();

  /** Each group's metrics, registered once and kept by a monitor that replaces another. */
  private final Map<String, GroupMetrics> metrics = new ConcurrentSkipListMap<>();

  public Engine(
      FailoverConfig config,
      GroupStore store,
      EventStore events,
      Clock clock,
      MeterRegistry registry,
      StoreMetrics storeMetrics,
      OutageLog outages,
      Coordination coordination) {
    this.config = config;
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.registry = registry;
    this.storeMetrics = storeMetrics;
    this.outages = outages;
    this.coordination = coordination;
  }

  void start(@Observes StartupEvent started) {
    config
        .groups()
        .forEach(
            (name, group) -> {
              metrics.put(name, metrics(name, group, registry));
              monitors.put(name, monitor(name, group, metrics.get(name)));
            });
    monitors.values().forEach(GroupMonitor::start);
  }

  void stop(@Observes ShutdownEvent stopping) {
    monitors.values().forEach(GroupMonitor::stop);
  }

  public Collection<GroupMonitor> monitors() {
    return monitors.values();
  }

  public Optional<GroupMonitor> monitor(String group) {
    return Optional.ofNullable(monitors.get(group));
  }

  /**
   * Starts another monitor of a configured group on the same store, as a second failover-service
   * replica would run it, with metrics of its own; the caller stops it.
   */
  public AutoCloseable secondInstance(String group, MeterRegistry metrics) {
    FailoverConfig.Group configured = config.groups().get(group);
    GroupMonitor twin = monitor(group, configured, metrics(group, configured, metrics));
    twin.start();
    return twin::stop;
  }

  /**
   * Stops a group's monitor, as if failover-service were down for that group; closing the result
   * starts a fresh monitor that knows nothing but what the store holds, as a restarted service.
   */
  public AutoCloseable downUntilClosed(String group) {
    monitors.get(group).stop();
    return () -> {
      GroupMonitor fresh = monitor(group, config.groups().get(group), metrics.get(group));
      monitors.put(group, fresh);
      fresh.start();
    };
  }

  private GroupMetrics metrics(String name, FailoverConfig.Group group, MeterRegistry registry) {
    return new GroupMetrics(
        registry, name, group.maximumLagOnFailover(), () -> coordination.leadership().leads(name));
  }

  private GroupMonitor monitor(String name, FailoverConfig.Group group, GroupMetrics metrics) {
    return new GroupMonitor(
        name,
        group,
        store,
        events,
        clock,
        metrics,
        storeMetrics.freshness(),
        outages,
        coordination.leadership(),
        coordination.labels());
  }
}
