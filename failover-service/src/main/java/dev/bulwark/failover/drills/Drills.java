package dev.bulwark.failover.drills;

import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.config.FailoverConfig.Kind;
import dev.bulwark.failover.exported.DrillMetrics;
import dev.bulwark.failover.groups.Engine;
import dev.bulwark.failover.groups.GroupHealth;
import dev.bulwark.failover.groups.GroupMonitor;
import dev.bulwark.failover.groups.GroupNotFound;
import dev.bulwark.failover.groups.GroupNotReady;
import dev.bulwark.failover.groups.GroupStatus;
import dev.bulwark.failover.groups.MemberStatus;
import dev.bulwark.failover.groups.Role;
import dev.bulwark.failover.store.DrillStore;
import dev.bulwark.failover.store.EventStore;
import dev.bulwark.failover.store.GroupStore;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/** The use cases of drills: start one (checked first, then run in the background), read them. */
@ApplicationScoped
public class Drills {

  private static final Logger LOG = Logger.getLogger(Drills.class);

  private final Engine engine;
  private final DrillStore drills;
  private final GroupStore groups;
  private final EventStore events;
  private final DrillMetrics metrics;
  private final OutageLog outages;
  private final Clock clock;
  private final ExecutorService runners =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "bulwark-failover-drill");
            t.setDaemon(true);
            return t;
          });

  public Drills(
      Engine engine,
      DrillStore drills,
      GroupStore groups,
      EventStore events,
      DrillMetrics metrics,
      OutageLog outages,
      Clock clock) {
    this.engine = engine;
    this.drills = drills;
    this.groups = groups;
    this.events = events;
    this.metrics = metrics;
    this.outages = outages;
    this.clock = clock;
  }

  void stop(@Observes ShutdownEvent stopping) {
    runners.shutdownNow();
  }

  /**
   * Starts a drill after checking that it can run now: 409 while paused, failing over or another
   * drill runs, 422 when no standby qualifies (naming why). Returns it running.
   */
  public Uni<Drill> start(String group, DrillKind kind) {
    GroupMonitor monitor = monitor(group);
    GroupStatus status = monitor.status();
    String primary = status.primary().orElseThrow(() -> new GroupNotReady(group));
    if (status.paused()) {
      throw new GroupPaused(group);
    }
    if (status.health() == GroupHealth.FAILING_OVER || status.health() == GroupHealth.FAILING) {
      throw new FailoverUnderway(group, status.health().wire());
    }
    if (kind == DrillKind.PRIMARY_LOSS) {
      Instant now = clock.instant();
      status
          .lastFailoverAt()
          .map(at -> at.plus(monitor.config().cooldown()))
          .filter(until -> until.isAfter(now))
          .ifPresent(
              until -> {
                throw new GroupInCooldown(group, until);
              });
    }
    String standby = qualifiedStandby(group, monitor.config(), status, primary);
    return drills
        .start(group, kind, clock.instant())
        .map(
            stored -> {
              Drill drill = stored.orElseThrow(() -> new DrillAlreadyRunning(group));
              runners.execute(() -> run(monitor, drill, primary, standby));
              return drill;
            });
  }

  public Uni<Drill> find(String group, long id) {
    monitor(group);
    return drills
        .find(group, id)
        .map(found -> found.orElseThrow(() -> new DrillNotFound(group, id)));
  }

  public Uni<DrillPage> page(String group, int limit, Optional<String> cursor) {
    monitor(group);
    Optional<Long> before = cursor.map(text -> DrillCursor.decode(text, group).beforeId());
    return drills
        .page(group, before, KeysetPage.rowsToRead(limit))
        .map(
            rows -> {
              KeysetPage<Drill, DrillCursor> page =
                  KeysetPage.of(rows, limit, last -> new DrillCursor(group, last.id()));
              return new DrillPage(page.items(), page.next());
            });
  }

  /** The standby with the least lag that is up, in recovery and within the lag limit. */
  private static String qualifiedStandby(
      String group, FailoverConfig.Group config, GroupStatus status, String primary) {
    if (config.kind() != Kind.POSTGRES) {
      throw new NoQualifiedStandby(group, "drills switch postgres groups only");
    }
    List<String> why = new ArrayList<>();
    List<MemberStatus> qualified = new ArrayList<>();
    for (MemberStatus member : status.members()) {
      if (member.name().equals(primary)) {
        continue;
      }
      if (!member.up()) {
        why.add(
            "'"
                + member.name()
                + "' is down ("
                + member.lastError().orElse("its checks fail")
                + ")");
      } else if (member.role() != Role.STANDBY) {
        why.add("'" + member.name() + "' is " + member.role().wire() + ", not a standby");
      } else if (member.lagBytes().orElse(0L) > config.maximumLagOnFailover()) {
        why.add(
            "'"
                + member.name()
                + "' lags "
                + member.lagBytes().get()
                + " bytes, over maximum-lag-on-failover "
                + config.maximumLagOnFailover());
      } else {
        qualified.add(member);
      }
    }
    if (qualified.isEmpty()) {
      throw new NoQualifiedStandby(
          group, why.isEmpty() ? "it has no standby" : String.join("; ", why));
    }
    return qualified.stream()
        .min(Comparator.comparingLong(m -> m.lagBytes().orElse(0L)))
        .orElseThrow()
        .name();
  }

  private void run(GroupMonitor monitor, Drill drill, String primary, String standby) {
    Optional<DrillReport> report = Optional.empty();
    Optional<String> error = Optional.empty();
    try {
      report =
          Optional.of(
              new DrillRun(
                      monitor, groups, events, clock, drill.id(), drill.kind(), primary, standby)
                  .run());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      error = Optional.of(String.valueOf(e.getMessage()));
      LOG.warnf("drill %d of group %s failed: %s", drill.id(), drill.group(), error.get());
    }
    DrillState outcome =
        report.isPresent() && report.get().lostWrites() == 0 && report.get().lastAckSurvived()
            ? DrillState.SUCCEEDED
            : DrillState.FAILED;
    if (report.isPresent() && outcome == DrillState.FAILED) {
      error = Optional.of("acknowledged writes were lost (see the report)");
    }
    metrics.finished(drill.group(), drill.kind(), outcome);
    String source = "failover drill store";
    try {
      monitor.await(drills.finish(drill.id(), outcome, clock.instant(), report, error));
      outages.succeeded(source);
    } catch (RuntimeException e) {
      outages.failed(source, e);
    }
  }

  private GroupMonitor monitor(String group) {
    return engine.monitor(group).orElseThrow(() -> new GroupNotFound(group));
  }
}
