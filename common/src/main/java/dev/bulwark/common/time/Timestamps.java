package dev.bulwark.common.time;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The reactive PostgreSQL client binds {@code timestamptz} as {@link OffsetDateTime}; we speak
 * Instant.
 */
public final class Timestamps {

  private Timestamps() {}

  /** The instant as a UTC {@code timestamptz} parameter; null stays null. */
  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** A {@code timestamptz} column as an instant; null stays null. */
  public static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
