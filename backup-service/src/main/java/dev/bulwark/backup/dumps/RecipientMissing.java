package dev.bulwark.backup.dumps;

import dev.bulwark.common.problem.UnavailableProblem;

/** 503: backups cannot be made because no age recipient is configured to encrypt them to. */
public class RecipientMissing extends UnavailableProblem {

  public RecipientMissing() {
    super(
        "backup-recipient-missing",
        "no age recipient is configured: set BULWARK_BACKUP_AGE_RECIPIENT to the public key"
            + " age-keygen prints (age1...) before backing up");
  }
}
