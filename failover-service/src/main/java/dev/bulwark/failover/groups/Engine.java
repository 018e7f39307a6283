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
import java.util.TreeMap;

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
  private final Map<String, GroupMonitor> monitors = new TreeMap<>();

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
    config.groups().forEach((name, group) -> monitors.put(name, monitor(name, group, registry)));
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
    GroupMonitor twin = monitor(group, config.groups().get(group), metrics);
    twin.start();
    return twin::stop;
  }

  private GroupMonitor monitor(String name, FailoverConfig.Group group, MeterRegistry metrics) {
    return new GroupMonitor(
        name,
        group,
        store,
        events,
        clock,
        new GroupMetrics(
            metrics,
            name,
            group.maximumLagOnFailover(),
            () -> coordination.leadership().leads(name)),
        storeMetrics.freshness(),
        outages,
        coordination.leadership(),
        coordination.labels());
  }
}
