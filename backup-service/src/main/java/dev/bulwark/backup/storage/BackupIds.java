package dev.bulwark.backup.storage;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Ids of stored backups (logical dumps and base backups): the start time in UTC, so that ids sort
 * as the backups were taken, and six random hex digits, so that two started in one second differ.
 */
public final class BackupIds {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private BackupIds() {}

  /** A new id for a backup started at {@code startedAt}, e.g. {@code 20260101T020000Z-3fa2c1}. */
  public static String startedAt(Instant startedAt) {
    return TIME.format(startedAt) + "-" + HexFormat.of().formatHex(randomBytes(3));
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
