package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.pitr.WalSegmentName;
import java.util.ArrayList;
import java.util.List;

/**
 * A timeline's ancestry, read from its {@code .history} file: each line "parentTLI switchpoint
 * reason" says where the next timeline began.
 *
 * @param switches the timelines of the path, oldest first, each with the LSN it began at (0 for the
 *     first)
 */
public record TimelineHistory(List<Timeline> switches) {

  /** One timeline of the path and the LSN at which it began. */
  public record Timeline(long timeline, long beginLsn) {}

  /** The history of a timeline with no ancestors (timeline 1, or no history file archived). */
  public static TimelineHistory single(long timeline) {
    return new TimelineHistory(List.of(new Timeline(timeline, 0)));
  }

  /** Parses the history file of {@code timeline}. */
  public static TimelineHistory parse(long timeline, String content) {
    List<Timeline> path = new ArrayList<>();
    long begin = 0;
    for (String line : content.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      path.add(new Timeline(Long.parseLong(fields[0]), begin));
      begin = WalSegmentName.parseLsn(fields[1]);
    }
    path.add(new Timeline(timeline, begin));
    return new TimelineHistory(List.copyOf(path));
  }

  /**
   * The timeline whose file recovery reads for segment number {@code segment}: the newest one that
   * had begun by that segment (the switch segment is read from the new timeline, as PostgreSQL
   * does).
   */
  public long timelineOf(long segment, long segmentSize) {
    long chosen = switches.get(0).timeline();
    for (Timeline t : switches) {
      if (t.beginLsn() / segmentSize <= segment) {
        chosen = t.timeline();
      }
    }
    return chosen;
  }

  public long newest() {
    return switches.get(switches.size() - 1).timeline();
  }
}
