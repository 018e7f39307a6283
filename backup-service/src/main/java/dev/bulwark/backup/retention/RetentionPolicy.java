package dev.bulwark.backup.retention;

import dev.bulwark.backup.config.RetentionConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which backups of one target to keep: those that started within {@code days}, the newest one that
 * passed verification (or, when none did, the newest one), and the newest of each of the last
 * {@code keepDaily} UTC days, {@code keepWeekly} ISO weeks and {@code keepMonthly} months; the rest
 * is deleted. Pure: the caller reads storage and passes the time.
 */
public record RetentionPolicy(int days, int keepDaily, int keepWeekly, int keepMonthly) {

  public RetentionPolicy {
    require(days >= 1, "bulwark.backup.retention.days must be at least 1, is " + days);
    require(keepDaily >= 0, "bulwark.backup.retention.keep-daily must be 0 or more");
    require(keepWeekly >= 0, "bulwark.backup.retention.keep-weekly must be 0 or more");
    require(keepMonthly >= 0, "bulwark.backup.retention.keep-monthly must be 0 or more");
  }

  /** The policy of the configuration. */
  public static RetentionPolicy of(RetentionConfig config) {
    return new RetentionPolicy(
        config.days(), config.keepDaily(), config.keepWeekly(), config.keepMonthly());
  }

  /** Splits {@code backups} (any order) into kept and deleted as of {@code now}. */
  public RetentionSelection select(List<RetentionCandidate> backups, Instant now) {
    List<RetentionCandidate> newestFirst =
        backups.stream()
            .sorted(
                Comparator.comparing(RetentionCandidate::startedAt)
                    .thenComparing(RetentionCandidate::backupId)
                    .reversed())
            .toList();
    Map<RetentionCandidate, Set<KeepReason>> reasons = new LinkedHashMap<>();
    newestFirst.forEach(b -> reasons.put(b, EnumSet.noneOf(KeepReason.class)));

    Instant cutoff = now.minus(Duration.ofDays(days));
    newestFirst.stream()
        .filter(b -> !b.startedAt().isBefore(cutoff))
        .forEach(b -> reasons.get(b).add(KeepReason.RECENT));
    newestFirst.stream()
        .filter(RetentionCandidate::verified)
        .findFirst()
        .ifPresentOrElse(
            b -> reasons.get(b).add(KeepReason.NEWEST_VERIFIED),
            () ->
                newestFirst.stream()
                    .findFirst()
                    .ifPresent(b -> reasons.get(b).add(KeepReason.NEWEST_UNVERIFIED)));
    keepNewestPerPeriod(newestFirst, now, CalendarPeriod.DAY, keepDaily, KeepReason.DAILY, reasons);
    keepNewestPerPeriod(
        newestFirst, now, CalendarPeriod.WEEK, keepWeekly, KeepReason.WEEKLY, reasons);
    keepNewestPerPeriod(
        newestFirst, now, CalendarPeriod.MONTH, keepMonthly, KeepReason.MONTHLY, reasons);

    List<RetentionSelection.Kept> kept = new ArrayList<>();
    List<RetentionCandidate> deleted = new ArrayList<>();
    reasons.forEach(
        (backup, why) -> {
          if (why.isEmpty()) {
            deleted.add(backup);
          } else {
            kept.add(new RetentionSelection.Kept(backup, why));
          }
        });
    return new RetentionSelection(kept, deleted);
  }

  // The current period counts as the first of the last N, so N = 1 keeps today's newest.
  private static void keepNewestPerPeriod(
      List<RetentionCandidate> newestFirst,
      Instant now,
      CalendarPeriod period,
      int count,
      KeepReason reason,
      Map<RetentionCandidate, Set<KeepReason>> reasons) {
    if (count == 0) {
      return;
    }
    LocalDate current = period.of(now);
    LocalDate earliest = period.minus(current, count - 1);
    Set<LocalDate> seen = new HashSet<>();
    for (RetentionCandidate backup : newestFirst) {
      LocalDate start = period.of(backup.startedAt());
      if (!start.isBefore(earliest) && !start.isAfter(current) && seen.add(start)) {
        reasons.get(backup).add(reason);
      }
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
