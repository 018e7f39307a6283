package dev.bulwark.backup.pitr.base;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WAL a base backup spans, read from {@code pg_basebackup --verbose}: "write-ahead log start
 * point: 0/2000028 on timeline 1" and "write-ahead log end point: 0/2000100".
 */
public record WalRange(String startLsn, String endLsn, long timeline) {

  private static final Pattern START =
      Pattern.compile(
          "write-ahead log start point: ([0-9A-Fa-f]+/[0-9A-Fa-f]+) on timeline (\\d+)");
  private static final Pattern END =
      Pattern.compile("write-ahead log end point: ([0-9A-Fa-f]+/[0-9A-Fa-f]+)");

  /** The range pg_basebackup reported, or empty when its output lacks either line. */
  public static Optional<WalRange> fromVerboseOutput(String stderr) {
    Matcher start = START.matcher(stderr);
    Matcher end = END.matcher(stderr);
    if (!start.find() || !end.find()) {
      return Optional.empty();
    }
    return Optional.of(new WalRange(start.group(1), end.group(1), Long.parseLong(start.group(2))));
  }
}
