package dev.bulwark.failover.exported;

import dev.bulwark.common.metrics.GaugeFamily;
import dev.bulwark.failover.groups.EventKind;
import dev.bulwark.failover.groups.GroupStatus;
import dev.bulwark.failover.groups.MemberStatus;
import dev.bulwark.failover.groups.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The metrics of one group, registered when its monitor starts and refreshed after every check.
 * Each family holds this group's rows only, so that groups publish independently.
 */
public final class GroupMetrics {

  private final String group;
  private final GaugeFamily up;
  private final GaugeFamily failures;
  private final GaugeFamily role;
  private final GaugeFamily lag;
  private final GaugeFamily epoch;
  private final GaugeFamily lastRecovery;
  private final Map<EventKind, Counter> failovers = new EnumMap<>(EventKind.class);
  private final Counter adoptions;

  /**
   * Registers the group's metrics; {@code leading} tells whether this replica leads the group's
   * decisions now.
   */
  public GroupMetrics(
      MeterRegistry registry, String group, long maximumLagOnFailover, BooleanSupplier leading) {
    this.group = group;
    // Read at each scrape, not at each check: a Lease is taken and renewed on its own schedule.
    Gauge.builder("bulwark.failover.leader", leading, l -> l.getAsBoolean() ? 1 : 0)
        .description(
            "1 while this replica leads the group's decisions (holds its Lease; 1 on every replica"
                + " where the store's compare-and-swap alone coordinates them), else 0")
        .tag("group", group)
        .strongReference(true)
        .register(registry);
    // The group's own limit beside its lag, so that one alert rule fits every configuration.
    GaugeFamily.register(
            registry,
            "bulwark.failover.maximum.lag.on.failover.bytes",
            "A standby lagging more than this is never promoted (maximum-lag-on-failover)")
        .row(maximumLagOnFailover, "group", group)
        .publish();
    up =
        GaugeFamily.register(
            registry, "bulwark.failover.member.up", "1 when the member's last checks succeeded");
    failures =
        GaugeFamily.register(
            registry,
            "bulwark.failover.member.consecutive.failures",
            "Failed checks of the member in a row");
    role =
        GaugeFamily.register(
            registry, "bulwark.failover.member.role", "1 for the member's current role, else 0");
    lag =
        GaugeFamily.register(
            registry,
            "bulwark.failover.member.replication.lag.bytes",
            "Bytes of WAL a standby has not replayed, behind the primary");
    epoch =
        GaugeFamily.register(
            registry, "bulwark.failover.epoch", "The group's epoch: one more per failover");
    lastRecovery =
        GaugeFamily.register(
            registry,
            "bulwark.failover.last.recovery.seconds",
            "From the first failed check of the old primary until the new one was promoted");
    Arrays.stream(EventKind.values())
        .filter(EventKind::isOutcome)
        .forEach(
            kind ->
                failovers.put(
                    kind,
                    Counter.builder("bulwark.failover.failovers")
                        .description("Failover decisions by outcome")
                        .tag("group", group)
                        .tag("outcome", kind.wire())
                        .register(registry)));
    // Apart from failovers_total: an adoption decides nothing, it records a promotion by hand.
    adoptions =
        Counter.builder("bulwark.failover.adoptions")
            .description(
                "Members promoted outside failover-service (by hand) taken as the group's primary")
            .tag("group", group)
            .register(registry);
  }

  /** Counts one member promoted by hand and adopted as the group's primary. */
  public void adopted() {
    adoptions.increment();
  }

  /** Counts one failover decision. */
  public void counted(EventKind outcome) {
    failovers.get(outcome).increment();
  }

  public void recovered(Duration took) {
    lastRecovery.row(took.toMillis() / 1000.0, "group", group).publish();
  }

  /** Publishes the group's status; a value not known (a lag of a down member) is absent. */
  public void publish(GroupStatus status) {
    for (MemberStatus member : status.members()) {
      String[] labels = {"group", group, "member", member.name()};
      up.row(member.up() ? 1 : 0, labels);
      failures.row(member.consecutiveFailures(), labels);
      member.lagBytes().ifPresent(bytes -> lag.row(bytes, labels));
      for (Role each : Role.values()) {
        role.row(
            each == member.role() ? 1 : 0,
            "group",
            group,
            "member",
            member.name(),
            "role",
            each.wire());
      }
    }
    up.publish();
    failures.publish();
    lag.publish();
    role.publish();
    if (status.primary().isPresent()) {
      epoch.row(status.epoch(), "group", group);
    }
    epoch.publish();
  }
}
