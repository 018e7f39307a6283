package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import java.util.List;

/**
 * What a restore fetches before recovery starts: the base backup, and the stored WAL files (history
 * files first, then segments in order, the last possibly a {@code .partial}).
 *
 * @param required how many of {@code walFiles} are fetched in any case; a restore to a time fetches
 *     the others one by one only until one holds a commit after the time
 */
public record WalPlan(
    BaseBackupManifest base,
    List<String> walFiles,
    int required,
    long timeline,
    RestoreWindow window) {

  public WalPlan {
    walFiles = List.copyOf(walFiles);
  }
}
