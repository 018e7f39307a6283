package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How base backups are cut into pieces ({@code bulwark.backup.pitr.base}): each piece a complete
 * tar archive compressed and encrypted on its own, so that a restore extracts pieces side by side
 * as pgBackRest's {@code process-max} does.
 */
@ConfigMapping(prefix = "bulwark.backup.pitr.base")
public interface BaseBackupConfig {

  /** Pieces stored at once by a base backup, and extracted at once by a restore. */
  @WithDefault("2")
  int parallelism();

  /**
   * A piece ends at the first tar member boundary past this many raw bytes (a member bigger than
   * it, a relation file segment of up to 1 GiB, makes a piece of its own).
   */
  @WithDefault("67108864")
  long pieceSize();
}
