package dev.bulwark.failover.drills;

import dev.bulwark.failover.checks.PostgresCheck;
import dev.bulwark.failover.drills.WriteProber.Write;
import dev.bulwark.failover.groups.EventKind;
import dev.bulwark.failover.groups.FailoverEvent;
import dev.bulwark.failover.groups.GroupMonitor;
import dev.bulwark.failover.groups.GroupStatus;
import dev.bulwark.failover.groups.Intent;
import dev.bulwark.failover.groups.MemberStatus;
import dev.bulwark.failover.groups.Role;
import dev.bulwark.failover.store.EventStore;
import dev.bulwark.failover.store.GroupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One drill's procedure, run on a thread of its own. Switchover: fence the primary, wait until the
 * standby replayed all its WAL, take the next epoch by the engine's compare-and-swap and let the
 * engine promote. Primary loss: fence the primary (so that it takes no write, as if it were dead)
 * and make its checks fail, so that detection, threshold and promotion run the automatic path. A
 * write prober runs throughout; the report compares what it had acknowledged with the new primary.
 */
final class DrillRun {

  static final String OLD_PRIMARY_AFTER =
      "fenced: out of recovery and read-only; failover-service does not manage PostgreSQL"
          + " processes, so rebuild it as a standby of the new primary with pg_rewind or a new"
          + " base backup (docs/runbooks/failover.md)";

  private final GroupMonitor monitor;
  private final GroupStore store;
  private final EventStore events;
  private final Clock clock;
  private final DrillConnections connections;
  private final long id;
  private final DrillKind kind;
  private final String primary;
  private final String standby;
  private final Duration bound;

  DrillRun(
      GroupMonitor monitor,
      GroupStore store,
      EventStore events,
      Clock clock,
      long id,
      DrillKind kind,
      String primary,
      String standby) {
    this.monitor = monitor;
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.connections = new DrillConnections(monitor.config());
    this.id = id;
    this.kind = kind;
    this.primary = primary;
    this.standby = standby;
    this.bound =
        monitor
            .config()
            .promoteTimeout()
            .plus(monitor.config().period().multipliedBy(monitor.config().failureThreshold()))
            .plusSeconds(30);
  }

  DrillReport run() throws Exception {
    long epochBefore = monitor.status().epoch();
    try (Connection old = connections.open(primary);
        Statement statement = old.createStatement()) {
      statement.execute(WriteProber.TABLE);
    }
    try (WriteProber prober =
        new WriteProber(
            id, this::servingPrimary, connections, clock, "bulwark-drill-prober-" + id)) {
      prober.start();
      prober.awaitWrites(
          "the write prober's first acknowledged writes",
          Duration.ofSeconds(30),
          writes -> writes.stream().filter(Write::acked).count() >= 3);
      Instant decidedAt;
      Optional<Long> detection = Optional.empty();
      if (kind == DrillKind.SWITCHOVER) {
        decidedAt = switchOver(epochBefore);
      } else {
        Instant[] failingSince = new Instant[1];
        decidedAt = loseThePrimary(epochBefore, failingSince);
        detection =
            Optional.ofNullable(failingSince[0])
                .map(since -> Duration.between(since, decidedAt).toMillis());
      }
      Instant promotedAt = awaitPromotion(epochBefore + 1);
      monitor.awaitStatus(
          "the engine to record '" + standby + "' as primary",
          bound,
          status -> status.primary().equals(Optional.of(standby)));
      monitor.simulateLoss(primary, false);
      prober.awaitWrites(
          "a write acknowledged by the new primary",
          Duration.ofSeconds(30),
          writes -> writes.stream().anyMatch(w -> w.acked() && onNew(w)));
      prober.close();
      return report(
          prober.writes(), epochBefore, detection, Duration.between(decidedAt, promotedAt));
    } finally {
      monitor.simulateLoss(primary, false);
    }
  }

  /** The member the engine names primary while it answers as one; the prober writes there. */
  private Optional<String> servingPrimary() {
    GroupStatus status = monitor.status();
    return status
        .primary()
        .filter(
            name -> status.member(name).map(m -> m.up() && m.role() == Role.PRIMARY).orElse(false));
  }

  private boolean onNew(Write write) {
    return write.member().equals(Optional.of(standby));
  }

  private Instant switchOver(long epochBefore) throws Exception {
    new PostgresCheck(
            monitor.config().members().get(primary).url(),
            monitor.config().username(),
            monitor.config().password(),
            monitor.config().timeout())
        .fence();
    try {
      long target;
      try (Connection old = connections.open(primary);
          Statement statement = old.createStatement();
          ResultSet row = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
        row.next();
        target = lsn(row.getString(1));
      }
      // The monitor's checks read the standby's replay position; each result wakes this wait.
      monitor.awaitStatus(
          "'" + standby + "' to replay the fenced primary's WAL",
          monitor.config().promoteTimeout().plus(monitor.config().period()),
          status ->
              status
                  .member(standby)
                  .filter(MemberStatus::up)
                  .flatMap(MemberStatus::replayLsn)
                  .map(replayed -> replayed >= target)
                  .orElse(false));
      Instant decidedAt = clock.instant();
      Intent intent = new Intent(epochBefore + 1, standby, primary, 0, Optional.of(0L), decidedAt);
      if (monitor
          .await(store.takeIntent(monitor.group(), epochBefore, intent, decidedAt))
          .isEmpty()) {
        throw new IllegalStateException(
            "the group changed before the switchover (its epoch moved, it was paused or a"
                + " failover started); the old primary was unfenced");
      }
      return decidedAt;
    } catch (Exception e) {
      unfence();
      throw e;
    }
  }

  private Instant loseThePrimary(long epochBefore, Instant[] failingSince) throws Exception {
    new PostgresCheck(
            monitor.config().members().get(primary).url(),
            monitor.config().username(),
            monitor.config().password(),
            monitor.config().timeout())
        .fence();
    monitor.simulateLoss(primary, true);
    monitor.awaitStatus(
        "the engine to decide a failover of '" + primary + "'",
        bound,
        status -> {
          status
              .member(primary)
              .flatMap(MemberStatus::failingSince)
              .ifPresent(at -> failingSince[0] = at);
          return status.epoch() > epochBefore;
        });
    List<FailoverEvent> recent = monitor.await(events.page(monitor.group(), Optional.empty(), 20));
    return recent.stream()
        .filter(e -> e.kind() == EventKind.PROMOTED && e.epoch() == epochBefore + 1)
        .map(FailoverEvent::at)
        .findFirst()
        .orElseGet(clock::instant);
  }

  private void unfence() {
    try (Connection old = connections.open(primary);
        Statement statement = old.createStatement()) {
      statement.execute("ALTER SYSTEM RESET default_transaction_read_only");
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      // The report says the drill failed; an operator unfences by hand (runbook).
    }
  }

  /**
   * When the standby left recovery: the instant the engine's pg_promote returned on this replica,
   * or (promoted by another replica) the first check result that shows it out of recovery.
   */
  private Instant awaitPromotion(long epoch) throws InterruptedException {
    monitor.awaitStatus(
        "'" + standby + "' to leave recovery",
        bound,
        status ->
            monitor.promotedAt(epoch).isPresent()
                || status.member(standby).map(m -> m.up() && !m.inRecovery()).orElse(false));
    return monitor.promotedAt(epoch).orElseGet(clock::instant);
  }

  private DrillReport report(
      List<Write> writes, long epochBefore, Optional<Long> detection, Duration promotion)
      throws SQLException {
    Set<Long> present = new HashSet<>();
    try (Connection next = connections.open(standby);
        PreparedStatement query =
            next.prepareStatement("SELECT seq FROM public.bulwark_drill_probe WHERE drill = ?")) {
      query.setLong(1, id);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          present.add(rows.getLong(1));
        }
      }
    }
    List<Write> acked = writes.stream().filter(Write::acked).toList();
    Optional<Write> lastOnOld =
        acked.stream().filter(w -> w.member().equals(Optional.of(primary))).reduce((a, b) -> b);
    Optional<Write> firstOnNew = acked.stream().filter(this::onNew).findFirst();
    long window =
        lastOnOld.isPresent() && firstOnNew.isPresent()
            ? Duration.between(lastOnOld.get().at(), firstOnNew.get().at()).toMillis()
            : 0;
    return new DrillReport(
        primary,
        standby,
        epochBefore,
        monitor.status().epoch(),
        detection,
        promotion.toMillis(),
        window,
        acked.size(),
        writes.size() - acked.size(),
        lastOnOld.map(Write::seq),
        lastOnOld.map(w -> present.contains(w.seq())).orElse(false),
        acked.stream().filter(w -> !present.contains(w.seq())).count(),
        OLD_PRIMARY_AFTER);
  }

  private static long lsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32)
        | Long.parseLong(text.substring(slash + 1), 16);
  }
}
