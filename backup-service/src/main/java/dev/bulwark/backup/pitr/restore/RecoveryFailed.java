package dev.bulwark.backup.pitr.restore;

/** The restore's recovery failed: extraction, verification, or the recovering server. */
public class RecoveryFailed extends RuntimeException {

  public RecoveryFailed(String message) {
    super(message, null, false, false);
  }
}
