package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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

  /**
   * Objects of a base backup without a {@code manifest.json} whose newest was written longer ago
   * than this are deleted by PITR retention: what a run left that could not delete its own pieces
   * (storage down when it failed, or the service killed). A run in progress writes a piece every
   * few seconds, so its newest object is always younger.
   */
  @WithDefault("1d")
  Duration leftoverGrace();
}
