package dev.bulwark.backup.pitr.wal;

/**
 * Asks for an immediate base backup of a target, because its WAL chain has a gap that only a new
 * base backup closes (a dropped slot, WAL lost across a failover). PITR's base backups implement
 * it; without them {@link LoggedBaseBackupRequests} only says so in the log.
 */
public interface BaseBackupRequester {

  /** Requests a base backup of {@code target}; {@code reason} says which gap it closes. */
  void requestBaseBackup(String target, String reason);
}
