package dev.bulwark.backup.exported;

import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What continuous WAL archiving of one target exports (docs/api/backup.md, Continuous WAL
 * archiving): the receiver's state and spool as this replica sees them, and the slot and archive
 * lag read from the target's primary, which are absent while it cannot be read (never a fake zero).
 * Registered once per target when its receiver is made.
 */
public final class PitrWalMetrics {

  private final Counter restarts;
  private final Counter gaps;
  private final Counter slotDrops;
  private final AtomicLong up = new AtomicLong();
  private final AtomicLong spoolBytes = new AtomicLong();
  private final AtomicLong fromFailoverService = new AtomicLong();
  private final AtomicReference<Optional<Instant>> lastArchived =
      new AtomicReference<>(Optional.empty());
  private final GaugeFamily slotRetained;
  private final GaugeFamily lagBytes;
  private final GaugeFamily lagSeconds;
  private final String target;

  private PitrWalMetrics(MeterRegistry registry, String target, long slotLimitBytes) {
    this.target = target;
    restarts =
        Counter.builder("bulwark.backup.pitr.receiver.restarts")
            .description("Times pg_receivewal died and was started again")
            .tag("target", target)
            .register(registry);
    gaps =
        Counter.builder("bulwark.backup.pitr.wal.gaps")
            .description("Gaps found in the archived WAL chain (each needs a new base backup)")
            .tag("target", target)
            .register(registry);
    slotDrops =
        Counter.builder("bulwark.backup.pitr.slot.drops")
            .description("Replication slots dropped because they retained more than the limit")
            .tag("target", target)
            .register(registry);
    Gauge.builder("bulwark.backup.pitr.receiver.up", up, AtomicLong::get)
        .description("1 while pg_receivewal streams this target's WAL on this replica")
        .tag("target", target)
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "bulwark.backup.pitr.primary.from.failover.service",
            fromFailoverService,
            AtomicLong::get)
        .description(
            "1 when the receiver found the primary named by failover-service at its last look,"
                + " 0 when it found it in its hosts list")
        .tag("target", target)
        .strongReference(true)
        .register(registry);
    Gauge.builder("bulwark.backup.pitr.spool.bytes", spoolBytes, AtomicLong::get)
        .description("Completed WAL files in the local spool waiting for storage")
        .tag("target", target)
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "bulwark.backup.pitr.last.archived.segment.timestamp.seconds",
            lastArchived,
            last -> last.get().map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN))
        .description("When a complete WAL segment was last stored, Unix time")
        .tag("target", target)
        .strongReference(true)
        .register(registry);
    Gauge.builder("bulwark.backup.pitr.slot.limit.bytes", () -> slotLimitBytes)
        .description(
            "Retained WAL above which the slot is dropped (bulwark.backup.pitr.slot-limit)")
        .tag("target", target)
        .strongReference(true)
        .register(registry);
    slotRetained =
        GaugeFamily.register(
            registry,
            "bulwark.backup.pitr.slot.retained.bytes",
            "WAL the primary keeps for the receiver's slot (current LSN minus restart_lsn)");
    lagBytes =
        GaugeFamily.register(
            registry,
            "bulwark.backup.pitr.archive.lag.bytes",
            "The primary's current LSN minus the last LSN stored (partial segment included)");
    lagSeconds =
        GaugeFamily.register(
            registry,
            "bulwark.backup.pitr.archive.lag.seconds",
            "RPO estimate: time since the last upload while WAL is waiting, else 0");
  }

  /** Registers the meters of {@code target}, whose slot is dropped above {@code slotLimitBytes}. */
  public static PitrWalMetrics register(
      MeterRegistry registry, String target, long slotLimitBytes) {
    return new PitrWalMetrics(registry, target, slotLimitBytes);
  }

  public void receiverRestarted() {
    restarts.increment();
  }

  public void gapFound() {
    gaps.increment();
  }

  public void slotDropped() {
    slotDrops.increment();
  }

  public void receiverUp(boolean isUp) {
    up.set(isUp ? 1 : 0);
  }

  public void primaryFromFailoverService(boolean named) {
    fromFailoverService.set(named ? 1 : 0);
  }

  public void spoolBytes(long bytes) {
    spoolBytes.set(bytes);
  }

  /** A complete segment was stored at {@code at}. */
  public void segmentArchived(Instant at) {
    lastArchived.set(Optional.of(at));
  }

  /**
   * Publishes what was read from the primary: the slot's retained WAL (if it has a slot) and lag.
   */
  public void serverRead(Optional<Long> retainedBytes, long lagBytesNow, double lagSecondsNow) {
    retainedBytes.ifPresent(r -> slotRetained.row(r, "target", target));
    slotRetained.publish();
    lagBytes.row(lagBytesNow, "target", target).publish();
    lagSeconds.row(lagSecondsNow, "target", target).publish();
  }

  /** The primary could not be read: its values disappear rather than go stale. */
  public void serverUnreadable() {
    slotRetained.publish();
    lagBytes.publish();
    lagSeconds.publish();
  }
}
