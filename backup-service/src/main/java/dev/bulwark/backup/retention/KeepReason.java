package dev.bulwark.backup.retention;

/** Why retention keeps a backup; a kept backup may have several reasons. */
public enum KeepReason {
  /** It started within the configured number of days. */
  RECENT,
  /** It is the newest backup that passed verification: never deleted. */
  NEWEST_VERIFIED,
  /** No backup of the target passed verification, and this is the newest one. */
  NEWEST_UNVERIFIED,
  /** The newest backup of one of the last {@code keep-daily} UTC days. */
  DAILY,
  /** The newest backup of one of the last {@code keep-weekly} ISO weeks. */
  WEEKLY,
  /** The newest backup of one of the last {@code keep-monthly} months. */
  MONTHLY
}
