package dev.bulwark.backup.pitr.wal;

import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.exported.PitrWalMetrics;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.common.logging.OutageLog;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Archives one target's WAL continuously: keeps a pg_receivewal streaming from the current primary
 * through the target's slot into the spool (restarted with back-off when it dies, moved when the
 * primary changes), uploads what it completes, and watches the slot and the spool against their
 * limits. One thread per target; {@link #close()} stops it and its pg_receivewal.
 */
public final class WalReceiver implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WalReceiver.class);

  private final ReceiverSettings settings;
  private final PrimaryServer server;
  private final WalSpool spool;
  private final WalUploader uploader;
  private final PgDumpBinary binaries;
  private final PitrWalMetrics metrics;
  private final BaseBackupRequester baseBackups;
  private final FailoverLookup failover;
  private final OutageLog outages;
  private final Clock clock;
  private final Thread thread;
  private final Object wake = new Object();
  private volatile boolean stopping;

  private volatile Optional<PgReceiveWal> process = Optional.empty();
  private Optional<PrimaryServer.Position> position = Optional.empty();
  // Read by base backups on other threads (WalArchiving.primaryOf).
  private volatile Optional<HostPort> streamingFrom = Optional.empty();
  private long startedNanos;
  private long nextStartNanos;
  private long lastCheckNanos;
  private Duration backoff;
  private boolean spoolFull;
  private boolean resetSpool;
  private boolean warnedSynchronous;
  private volatile long restarts;

  /** A receiver of a target that asks no failover-service. */
  public WalReceiver(
      ReceiverSettings settings,
      WalArchive archive,
      PgDumpBinary binaries,
      PitrWalMetrics metrics,
      BaseBackupRequester baseBackups,
      OutageLog outages,
      Clock clock) {
    this(settings, archive, binaries, metrics, baseBackups, FailoverLookup.NONE, outages, clock);
  }

  public WalReceiver(
      ReceiverSettings settings,
      WalArchive archive,
      PgDumpBinary binaries,
      PitrWalMetrics metrics,
      BaseBackupRequester baseBackups,
      FailoverLookup failover,
      OutageLog outages,
      Clock clock) {
    this.settings = settings;
    this.failover = failover;
    this.server = new PrimaryServer(settings);
    this.spool = new WalSpool(settings.spoolDir());
    this.binaries = binaries;
    this.metrics = metrics;
    this.baseBackups = baseBackups;
    this.outages = outages;
    this.clock = clock;
    this.backoff = settings.backoffMin();
    this.uploader = new WalUploader(settings.target(), spool, archive, clock, this::gapFound);
    this.thread = new Thread(this::run, "pitr-wal-" + settings.target());
  }

  /** Starts archiving on its own thread. */
  public WalReceiver start() {
    spool.create();
    thread.start();
    return this;
  }

  /** The pid of the running pg_receivewal, if one runs (for operators' tools and tests). */
  public Optional<Long> receiverPid() {
    return process.filter(PgReceiveWal::isAlive).map(PgReceiveWal::pid);
  }

  /** How often pg_receivewal died and was started again. */
  public long restarts() {
    return restarts;
  }

  /** The primary pg_receivewal streams from now, if one runs. */
  public Optional<HostPort> streamingFrom() {
    return streamingFrom;
  }

  public ReceiverSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    stopping = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopReceiver();
  }

  private void run() {
    while (!stopping) {
      try {
        tick();
        outages.succeeded(source());
      } catch (IOException | RuntimeException e) {
        outages.failed(source(), e);
      }
      pause(settings.pollEvery());
    }
    stopReceiver();
    metrics.receiverUp(false);
  }

  private void tick() throws IOException {
    long now = System.nanoTime();
    if (position.isEmpty() || now - lastCheckNanos >= settings.checkEvery().toNanos()) {
      lastCheckNanos = now;
      checkServer();
    }
    checkSpool();
    superviseReceiver();
    long segmentSize = segmentSize();
    try {
      uploader.uploadCompleted(segmentSize);
      uploader.lastSegmentAt().ifPresent(metrics::segmentArchived);
      // With no pg_receivewal running the partial segment cannot grow: store it now, not at the
      // next partial-every, so that a restore soon after the primary crashed finds all that was
      // received (bench/pitr: up to partial-every of commits were missing, even when synchronous).
      long partialEvery = process.isPresent() ? settings.partialEvery().toNanos() : 0;
      uploader.uploadPartial(
          partialEvery, segmentSize, position.flatMap(PrimaryServer.Position::receivedLsn));
      outages.succeeded(storageSource());
    } catch (IOException | RuntimeException e) {
      // Storage down: the files stay queued in the spool, in order, until it answers again.
      outages.failed(storageSource(), e);
    }
    checkSpool();
    metrics.receiverUp(process.filter(PgReceiveWal::isAlive).isPresent());
  }

  private void checkSpool() {
    long queued = spool.completedBytes();
    metrics.spoolBytes(queued);
    boolean full = queued >= settings.spoolLimit();
    if (full && !spoolFull) {
      LOG.errorf(
          "target %s: the WAL spool holds %d bytes, at its limit"
              + " bulwark.backup.pitr.spool-limit=%d, because storage does not take them:"
              + " pg_receivewal is stopped and the slot %s keeps WAL on the server until storage"
              + " answers",
          settings.target(), queued, settings.spoolLimit(), settings.slotName());
      stopReceiver();
    } else if (!full && spoolFull) {
      LOG.infof(
          "target %s: the WAL spool drained below its limit; receiving again", settings.target());
    }
    spoolFull = full;
  }

  private void checkServer() {
    try {
      PrimaryServer.Position seen = server.locate(primaryNamedByFailoverService());
      position = Optional.of(seen);
      metrics.primaryFromFailoverService(seen.fromFailoverService());
      outages.succeeded(serverSource());
      if (streamingFrom.isPresent() && !streamingFrom.get().equals(seen.primary())) {
        LOG.warnf(
            "target %s: the primary moved from %s to %s; receiving from the new primary",
            settings.target(), streamingFrom.get(), seen.primary());
        stopReceiver();
        nextStartNanos = System.nanoTime();
      }
      watchSlot(seen);
      warnUnlessSynchronous(seen);
      publishLag(seen);
    } catch (SQLException | IOException e) {
      outages.failed(serverSource(), e);
      metrics.serverUnreadable();
    }
  }

  // failover-service's primary, when the target names a group and failover-service answers; its
  // outage is logged once (OutageLog) and the hosts list is tried meanwhile.
  private Optional<HostPort> primaryNamedByFailoverService() {
    if (settings.failoverGroup().isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<HostPort> host = PrimaryServer.namedByFailoverService(settings, failover);
      outages.succeeded(failoverSource());
      return host;
    } catch (RuntimeException e) {
      outages.failed(failoverSource(), e);
      return Optional.empty();
    }
  }

  private void watchSlot(PrimaryServer.Position seen) throws SQLException {
    long retained = seen.slotRetainedBytes().orElse(0L);
    if (retained <= settings.slotLimit()) {
      return;
    }
    LOG.errorf(
        "target %s: slot %s retains %d bytes of WAL, above bulwark.backup.pitr.slot-limit=%d;"
            + " dropping it so that the primary's disk does not fill. The archived WAL chain has a"
            + " gap from here until the next base backup",
        settings.target(), settings.slotName(), retained, settings.slotLimit());
    stopReceiver();
    server.dropSlot(seen.primary());
    metrics.slotDropped();
    // The spool's position is lost on the server now: start again from a new slot.
    resetSpool = true;
    gapFound("slot " + settings.slotName() + " dropped at " + retained + " retained bytes");
  }

  private void warnUnlessSynchronous(PrimaryServer.Position seen) {
    if (!settings.synchronous() || warnedSynchronous) {
      return;
    }
    if (!seen.synchronousStandbyNames().contains(settings.applicationName())) {
      warnedSynchronous = true;
      LOG.warnf(
          "target %s is archived in synchronous mode, but the primary's synchronous_standby_names"
              + " ('%s') does not name %s: commits do not wait for the archive (RPO above zero)",
          settings.target(), seen.synchronousStandbyNames(), settings.applicationName());
    }
  }

  private void publishLag(PrimaryServer.Position seen) throws IOException {
    uploader.creditStoredPartial(seen.segmentSize(), seen.receivedLsn(), seen.readAtNanos());
    Optional<Long> stored = uploader.storedLsn(seen.segmentSize());
    // Before anything is stored, the WAL waiting is what the slot holds back.
    long lagBytes =
        stored
            .map(lsn -> Math.max(0, seen.currentLsn() - lsn))
            .orElse(seen.slotRetainedBytes().orElse(0L));
    double lagSeconds =
        lagBytes == 0
            ? 0
            : uploader
                .lastUpload()
                .map(t -> Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0))
                .orElse(0.0);
    metrics.serverRead(seen.slotRetainedBytes(), lagBytes, lagSeconds);
  }

  private void superviseReceiver() throws IOException {
    Optional<PgReceiveWal> running = process;
    if (running.isPresent() && !running.get().isAlive()) {
      receiverDied(running.get());
    }
    if (process.isPresent() || spoolFull || stopping || position.isEmpty()) {
      return;
    }
    if (System.nanoTime() < nextStartNanos) {
      return;
    }
    if (resetSpool) {
      // What the spool holds cannot be continued on the server: store it, then start afresh.
      if (!spool.completed().isEmpty()) {
        return;
      }
      uploader.uploadPartial(0, segmentSize(), Optional.empty());
      uploader.discardPartials();
      resetSpool = false;
    }
    List<String> halfPadded = spool.dropHalfPadded(segmentSize());
    if (!halfPadded.isEmpty()) {
      LOG.warnf(
          "target %s: deleted %s, left by a pg_receivewal killed while it padded a new segment",
          settings.target(), halfPadded);
    }
    HostPort primary = position.get().primary();
    try {
      server.ensureSlot(primary);
    } catch (SQLException e) {
      outages.failed(serverSource(), e);
      return;
    }
    PgReceiveWal started =
        PgReceiveWal.start(
            binaries.tool("pg_receivewal", position.get().major()), settings, primary);
    process = Optional.of(started);
    streamingFrom = Optional.of(primary);
    startedNanos = System.nanoTime();
    LOG.infof(
        "target %s: pg_receivewal (pid %d) receives WAL from %s through slot %s into %s",
        settings.target(), started.pid(), primary, settings.slotName(), settings.spoolDir());
  }

  private void receiverDied(PgReceiveWal died) {
    process = Optional.empty();
    streamingFrom = Optional.empty();
    restarts++;
    metrics.receiverRestarted();
    long ranNanos = System.nanoTime() - startedNanos;
    // Back-off doubles while it keeps dying quickly, and starts over after a healthy run.
    if (ranNanos >= settings.healthyAfter().toNanos()) {
      backoff = settings.backoffMin();
    }
    Duration wait = backoff;
    backoff = min(backoff.multipliedBy(2), settings.backoffMax());
    nextStartNanos = System.nanoTime() + wait.toNanos();
    String errors = died.lastErrors();
    LOG.warnf(
        "target %s: pg_receivewal exited with status %d after %d s; starting it again in %d ms%s",
        settings.target(),
        died.exitValue(),
        Duration.ofNanos(ranNanos).toSeconds(),
        wait.toMillis(),
        errors.isEmpty() ? "" : ": " + errors.lines().reduce((a, b) -> b).orElse(""));
    if (errors.contains("has already been removed")) {
      // The server recycled WAL past the spool's position (no slot kept it): a gap.
      resetSpool = true;
      gapFound("the primary no longer has the WAL after the spool's position: " + errors.strip());
    }
    // It may have died because the primary moved: look again before starting it.
    position = Optional.empty();
  }

  private void gapFound(String reason) {
    metrics.gapFound();
    baseBackups.requestBaseBackup(settings.target(), reason);
  }

  private void stopReceiver() {
    process.ifPresent(PgReceiveWal::close);
    process = Optional.empty();
    streamingFrom = Optional.empty();
  }

  private long segmentSize() {
    return position
        .map(PrimaryServer.Position::segmentSize)
        .orElse(WalSegmentName.DEFAULT_SEGMENT_SIZE);
  }

  private void pause(Duration duration) {
    synchronized (wake) {
      if (stopping) {
        return;
      }
      try {
        wake.wait(Math.max(1, duration.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
    }
  }

  private String source() {
    return "PITR WAL archiving of target " + settings.target();
  }

  private String serverSource() {
    return "the primary of PITR target "
        + settings.target()
        + " ("
        + Arrays.toString(settings.hosts().toArray())
        + ")";
  }

  private String failoverSource() {
    return "failover-service's primary of group "
        + settings.failoverGroup().orElse("")
        + " (PITR target "
        + settings.target()
        + "; receiving from the first of "
        + settings.hosts()
        + " that takes writes meanwhile)";
  }

  private String storageSource() {
    return "WAL upload of target " + settings.target();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
