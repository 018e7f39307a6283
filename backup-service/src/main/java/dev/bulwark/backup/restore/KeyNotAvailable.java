package dev.bulwark.backup.restore;

import dev.bulwark.common.problem.UnavailableProblem;
import java.util.List;

/**
 * 503: the backup was encrypted to an age key whose identity this service does not hold. Not the
 * caller's request but the service's configuration is missing something (as with a missing
 * recipient), and it works once an operator adds the identity; the detail names the key id, never a
 * secret.
 */
public class KeyNotAvailable extends UnavailableProblem {

  public KeyNotAvailable(String target, String backupId, String keyId, List<String> configured) {
    super(
        "backup-key-not-available",
        "backup '"
            + backupId
            + "' of target '"
            + target
            + "' was encrypted to age key "
            + keyId
            + ", and no identity in BULWARK_BACKUP_AGE_IDENTITY matches it ("
            + (configured.isEmpty() ? "none is configured" : "configured: " + configured)
            + "): add that key's AGE-SECRET-KEY-1... line beside the others");
  }
}
