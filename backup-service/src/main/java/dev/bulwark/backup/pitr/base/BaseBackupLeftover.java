package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.storage.ObjectKey;
import java.time.Instant;
import java.util.List;

/**
 * The objects stored under one base backup id that has no {@code manifest.json}: not a base backup,
 * either a run in progress or what a run that did not finish left.
 *
 * @param lastWritten when the newest of them was written
 */
public record BaseBackupLeftover(String backupId, List<ObjectKey> keys, Instant lastWritten) {

  public BaseBackupLeftover {
    keys = List.copyOf(keys);
  }
}
