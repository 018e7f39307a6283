package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.config.BaseBackupConfig;
import dev.bulwark.backup.config.PitrConfig;
import dev.bulwark.backup.exported.RetentionCounters;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.storage.RunLeftover;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps every second of {@code bulwark.backup.pitr.window} restorable and nothing older: base
 * backups started before the window go except the newest of them (the window's beginning is reached
 * from it), then WAL before the oldest kept base backup's start segment, and the objects of runs
 * that left no manifest once older than {@code bulwark.backup.pitr.base.leftover-grace} (counted in
 * {@code bulwark_backup_pitr_retention_leftovers_deleted_total{target}}). One replica at a time,
 * every {@code bulwark.backup.pitr.retention-every}.
 */
@ApplicationScoped
public class PitrRetention {

  private static final Logger LOG = Logger.getLogger(PitrRetention.class);

  /**
   * What one run deleted of one target.
   *
   * @param leftovers the backup ids whose objects had no manifest and were deleted
   */
  public record Pruned(
      String target, List<String> baseBackups, List<String> walFiles, List<String> leftovers) {}

  private final PitrTargets targets;
  private final BaseBackups bases;
  private final WalArchive archive;
  private final Jobs jobs;
  private final RetentionCounters counters;
  private final Clock clock;
  private final Duration window;
  private final Duration leftoverGrace;

  @Inject
  public PitrRetention(
      PitrTargets targets,
      BaseBackups bases,
      WalArchive archive,
      Jobs jobs,
      RetentionCounters counters,
      Clock clock,
      PitrConfig config,
      BaseBackupConfig baseConfig) {
    this(
        targets,
        bases,
        archive,
        jobs,
        counters,
        clock,
        config.recovery().window(),
        baseConfig.leftoverGrace());
  }

  public PitrRetention(
      PitrTargets targets,
      BaseBackups bases,
      WalArchive archive,
      Jobs jobs,
      RetentionCounters counters,
      Clock clock,
      Duration window,
      Duration leftoverGrace) {
    if (leftoverGrace.isNegative() || leftoverGrace.isZero()) {
      throw new IllegalArgumentException(
          "bulwark.backup.pitr.base.leftover-grace must be positive, is " + leftoverGrace);
    }
    this.targets = targets;
    this.bases = bases;
    this.archive = archive;
    this.jobs = jobs;
    this.counters = counters;
    this.clock = clock;
    this.window = window;
    this.leftoverGrace = leftoverGrace;
  }

  @Scheduled(
      every = "${bulwark.backup.pitr.retention-every:1h}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return jobs.onOneReplica(
        "pitr-retention",
        () ->
            Uni.createFrom()
                .item(() -> targets.names().stream().map(this::prune).toList())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid());
  }

  /** Prunes one target now. */
  public Pruned prune(String target) {
    Instant windowStart = clock.instant().minus(window);
    List<BaseBackupManifest> all = bases.of(target); // oldest first
    int firstKept = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startedAt().isBefore(windowStart)) {
        firstKept = i; // the newest started before the window stays
      }
    }
    List<String> deletedBases = new ArrayList<>();
    for (BaseBackupManifest old : all.subList(0, firstKept)) {
      bases.delete(old);
      deletedBases.add(old.backupId());
    }
    List<String> deletedWal = new ArrayList<>();
    if (!all.isEmpty()) {
      BaseBackupManifest oldestKept = all.get(firstKept);
      long size = oldestKept.walSegmentSize();
      long keepFrom = WalSegmentName.parse(oldestKept.startWalSegment()).segmentNumber(size);
      for (String name : archive.list(target)) {
        if (WalArchive.isHistory(name)) {
          continue; // a few bytes each, and every later timeline's path starts in them
        }
        String segment =
            WalArchive.isPartial(name)
                ? name.substring(0, name.length() - ".partial".length())
                : name;
        if (WalSegmentName.parse(segment).segmentNumber(size) < keepFrom) {
          archive.delete(target, name);
          deletedWal.add(name);
        }
      }
    }
    return new Pruned(target, deletedBases, deletedWal, sweepLeftovers(target));
  }

  // Younger leftovers may be a run in progress: it writes a piece every few seconds.
  private List<String> sweepLeftovers(String target) {
    Instant cutoff = clock.instant().minus(leftoverGrace);
    List<String> swept = new ArrayList<>();
    // The series exists from the first run, so that increase() sees the first sweep.
    counters.deletedPitrLeftovers(target, 0);
    for (RunLeftover leftover : bases.leftovers(target)) {
      if (leftover.lastWritten().isBefore(cutoff)) {
        bases.deleteLeftover(leftover);
        LOG.infof(
            "PITR retention deleted %d objects of base backup %s of target %s: no manifest, last"
                + " written %s (a run that did not finish)",
            leftover.keys().size(), leftover.backupId(), target, leftover.lastWritten());
        swept.add(leftover.backupId());
        // Counted one by one: a sweep that storage cuts short still counts what it deleted.
        counters.deletedPitrLeftovers(target, 1);
      }
    }
    return swept;
  }
}
