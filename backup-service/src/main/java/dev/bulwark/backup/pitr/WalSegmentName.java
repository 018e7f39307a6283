package dev.bulwark.backup.pitr;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a WAL segment file, {@code TTTTTTTTLLLLLLLLSSSSSSSS}: timeline, then the LSN's high
 * 32 bits ("log"), then the segment number within that log, each as 8 upper-case hex digits.
 */
public record WalSegmentName(long timeline, long log, long seg)
    implements Comparable<WalSegmentName> {

  /** PostgreSQL's default {@code wal_segment_size}; read the server's where it can be asked. */
  public static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;

  private static final Pattern NAME = Pattern.compile("[0-9A-F]{24}");
  private static final long LOG_SIZE = 0x1_0000_0000L;

  public WalSegmentName {
    if (timeline < 1 || timeline > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("timeline " + timeline + " is outside 1..FFFFFFFF");
    }
    if (log < 0 || log > 0xFFFF_FFFFL || seg < 0 || seg > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("log and seg must be 32-bit unsigned numbers");
    }
  }

  /** Whether {@code name} is a segment's file name (24 upper-case hex digits, nothing else). */
  public static boolean isSegmentName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * Reads a 24-hex segment name.
   *
   * @throws IllegalArgumentException when {@code name} is not one
   */
  public static WalSegmentName parse(String name) {
    if (!isSegmentName(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a WAL segment name (24 upper-case hex digits)");
    }
    return new WalSegmentName(
        Long.parseLong(name.substring(0, 8), 16),
        Long.parseLong(name.substring(8, 16), 16),
        Long.parseLong(name.substring(16, 24), 16));
  }

  /** The segment holding {@code lsn} on {@code timeline}, for segments of {@code segmentSize}. */
  public static WalSegmentName ofLsn(long timeline, long lsn, long segmentSize) {
    long segNo = Long.divideUnsigned(lsn, segmentSize);
    long perLog = segmentsPerLog(segmentSize);
    return new WalSegmentName(timeline, segNo / perLog, segNo % perLog);
  }

  /** The 24-hex file name. */
  public String format() {
    return String.format(Locale.ROOT, "%08X%08X%08X", timeline, log, seg);
  }

  /** The following segment on the same timeline, for 16 MiB segments. */
  public WalSegmentName next() {
    return next(DEFAULT_SEGMENT_SIZE);
  }

  /** The following segment on the same timeline, for segments of {@code segmentSize}. */
  public WalSegmentName next(long segmentSize) {
    long segNo = segmentNumber(segmentSize) + 1;
    long perLog = segmentsPerLog(segmentSize);
    return new WalSegmentName(timeline, segNo / perLog, segNo % perLog);
  }

  /** The segment's number counted from LSN 0 (PostgreSQL's XLogSegNo). */
  public long segmentNumber(long segmentSize) {
    return log * segmentsPerLog(segmentSize) + seg;
  }

  /** The LSN of the segment's first byte. */
  public long startLsn(long segmentSize) {
    return segmentNumber(segmentSize) * segmentSize;
  }

  /** The LSN just past the segment's last byte. */
  public long endLsn(long segmentSize) {
    return startLsn(segmentSize) + segmentSize;
  }

  /** The same position on another timeline. */
  public WalSegmentName onTimeline(long newTimeline) {
    return new WalSegmentName(newTimeline, log, seg);
  }

  /** The name of timeline {@code timeline}'s history file, {@code 00000002.history}. */
  public static String historyFileName(long timeline) {
    return String.format(Locale.ROOT, "%08X.history", timeline);
  }

  /**
   * Reads an LSN as PostgreSQL prints it ({@code 0/3000028}).
   *
   * @throws IllegalArgumentException when {@code text} is not one
   */
  public static long parseLsn(String text) {
    int slash = text.indexOf('/');
    if (slash < 1 || slash == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not an LSN (hex/hex, like 0/3000028)");
    }
    try {
      long high = Long.parseLong(text.substring(0, slash), 16);
      long low = Long.parseLong(text.substring(slash + 1), 16);
      if (high > 0xFFFF_FFFFL || low > 0xFFFF_FFFFL || high < 0 || low < 0) {
        throw new NumberFormatException();
      }
      return (high << 32) | low;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an LSN (hex/hex, like 0/3000028)");
    }
  }

  /** Prints an LSN as PostgreSQL does. */
  public static String formatLsn(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase(Locale.ROOT)
        + "/"
        + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase(Locale.ROOT);
  }

  private static long segmentsPerLog(long segmentSize) {
    if (segmentSize <= 0 || (segmentSize & (segmentSize - 1)) != 0 || segmentSize > LOG_SIZE) {
      throw new IllegalArgumentException(
          "WAL segment size " + segmentSize + " must be a power of two up to 1 GiB");
    }
    return LOG_SIZE / segmentSize;
  }

  @Override
  public int compareTo(WalSegmentName other) {
    return format().compareTo(other.format());
  }

  @Override
  public String toString() {
    return format();
  }
}
