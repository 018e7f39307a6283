package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Chooses the base backup and exactly the WAL a restore needs, and refuses before anything is
 * fetched when the point lies outside the window or a segment on the way is missing.
 */
public final class WalPlanner {

  private WalPlanner() {}

  /**
   * The plan for {@code target}.
   *
   * @param bases the target's base backups, oldest first
   * @param wal the stored WAL file names and when each was stored
   * @param history the content of a timeline's stored {@code .history} file, if any
   * @throws NoBaseBackup when there is none
   * @throws TargetOutsideWindow when the point is before the oldest base backup or after the WAL
   * @throws WalGapFound naming the first missing segment
   */
  public static WalPlan plan(
      String target,
      List<BaseBackupManifest> bases,
      Map<String, Instant> wal,
      LongFunction<Optional<String>> history,
      RecoveryTarget point) {
    if (bases.isEmpty()) {
      throw new NoBaseBackup(target);
    }
    Instant newestWal = wal.values().stream().max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    BaseBackupManifest newestBase = bases.get(bases.size() - 1);
    RestoreWindow window =
        new RestoreWindow(
            bases.get(0).finishedAt(),
            newestWal.isAfter(newestBase.finishedAt()) ? newestWal : newestBase.finishedAt());
    BaseBackupManifest base = chooseBase(target, bases, window, point);
    long segmentSize = base.walSegmentSize();

    long newestTimeline = base.timeline();
    for (String name : wal.keySet()) {
      newestTimeline = Math.max(newestTimeline, timelineOfName(name));
    }
    long timeline = newestTimeline;
    TimelineHistory path =
        history
            .apply(timeline)
            .map(content -> TimelineHistory.parse(timeline, content))
            .orElse(TimelineHistory.single(timeline));

    long start = WalSegmentName.parse(base.startWalSegment()).segmentNumber(segmentSize);
    long baseEnd = WalSegmentName.parse(base.endWalSegment()).segmentNumber(segmentSize);
    long lastComplete = -1;
    long partial = -1;
    for (String name : wal.keySet()) {
      if (WalArchive.isHistory(name)) {
        continue;
      }
      boolean isPartial = WalArchive.isPartial(name);
      WalSegmentName segment = WalSegmentName.parse(isPartial ? stripPartial(name) : name);
      long n = segment.segmentNumber(segmentSize);
      if (segment.timeline() != path.timelineOf(n, segmentSize)) {
        continue; // a segment of a timeline the path left behind
      }
      if (isPartial) {
        partial = Math.max(partial, n);
      } else {
        lastComplete = Math.max(lastComplete, n);
      }
    }
    long latestEnd = Math.max(lastComplete, partial);
    long end = latestEnd;
    // A time's segment is the first stored at or after it; the commit that ends recovery there
    // may come later, so the segments after it are planned too, fetched only as needed.
    long requiredEnd = latestEnd;
    if (point instanceof RecoveryTarget.AtLsn lsn) {
      end = WalSegmentName.parseLsn(lsn.lsn()) / segmentSize;
      requiredEnd = end;
    } else if (point instanceof RecoveryTarget.AtTime time) {
      requiredEnd = firstStoredAtOrAfter(wal, path, start, latestEnd, segmentSize, time.time());
    }
    int required = 0;

    List<String> files = new ArrayList<>();
    for (TimelineHistory.Timeline t : path.switches()) {
      String name = WalSegmentName.historyFileName(t.timeline());
      if (wal.containsKey(name)) {
        files.add(name);
        required++;
      }
    }
    for (long n = start; n <= end; n++) {
      String name = segmentName(path, n, segmentSize);
      if (wal.containsKey(name)) {
        files.add(name);
      } else if (n == end && wal.containsKey(name + ".partial")) {
        files.add(name + ".partial");
      } else if (n > baseEnd) {
        // Up to its end the base backup's tar holds the WAL itself (-X fetch).
        throw new WalGapFound(target, name, base.backupId());
      }
      if (n <= requiredEnd) {
        required = files.size();
      }
    }
    return new WalPlan(base, files, required, timeline, window);
  }

  private static BaseBackupManifest chooseBase(
      String target, List<BaseBackupManifest> bases, RestoreWindow window, RecoveryTarget point) {
    if (point instanceof RecoveryTarget.AtTime time) {
      if (time.time().isBefore(window.from()) || time.time().isAfter(window.to())) {
        throw new TargetOutsideWindow(target, time.time().toString(), window);
      }
      BaseBackupManifest chosen = bases.get(0);
      for (BaseBackupManifest b : bases) {
        if (!b.finishedAt().isAfter(time.time())) {
          chosen = b;
        }
      }
      return chosen;
    }
    if (point instanceof RecoveryTarget.AtLsn lsn) {
      long asked = WalSegmentName.parseLsn(lsn.lsn());
      Optional<BaseBackupManifest> chosen = Optional.empty();
      for (BaseBackupManifest b : bases) {
        if (WalSegmentName.parseLsn(b.endLsn()) <= asked) {
          chosen = Optional.of(b);
        }
      }
      return chosen.orElseThrow(() -> new TargetOutsideWindow(target, "lsn " + lsn.lsn(), window));
    }
    return bases.get(bases.size() - 1);
  }

  // The segment that holds a time is the first one stored at or after it (a segment is stored
  // once it closes, after its last record); none such: the newest.
  private static long firstStoredAtOrAfter(
      Map<String, Instant> wal,
      TimelineHistory path,
      long start,
      long latestEnd,
      long segmentSize,
      Instant time) {
    for (long n = start; n <= latestEnd; n++) {
      String name = segmentName(path, n, segmentSize);
      Instant stored = wal.get(name);
      if (stored == null) {
        stored = wal.get(name + ".partial");
      }
      if (stored != null && !stored.isBefore(time)) {
        return n;
      }
    }
    return latestEnd;
  }

  private static String segmentName(TimelineHistory path, long n, long segmentSize) {
    return WalSegmentName.ofLsn(path.timelineOf(n, segmentSize), n * segmentSize, segmentSize)
        .format();
  }

  private static long timelineOfName(String name) {
    return Long.parseLong(name.substring(0, 8), 16);
  }

  static String stripPartial(String name) {
    return name.endsWith(".partial")
        ? name.substring(0, name.length() - ".partial".length())
        : name;
  }
}
