package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Bucket mirrors under {@code bulwark.backup.mirrors.<name>}; docs/api/backup.md (Bucket mirroring)
 * lists the settings.
 */
@ConfigMapping(prefix = "bulwark.backup.mirrors")
public interface MirrorConfig {

  /** The mirrors by name (letters, digits, {@code -} and {@code _}). */
  @WithParentName
  Map<String, Mirror> mirrors();

  /** One source copied to one destination. */
  interface Mirror {

    /** Where objects are copied from; unset, the service's own storage (its backups). */
    Optional<Side> source();

    /** Where they are copied to. */
    Side destination();

    /** Delete destination objects that the source does not have. */
    @WithDefault("false")
    boolean deleteExtraneous();

    /** How long after a scheduled run starts the next one is due. */
    @WithDefault("1h")
    Duration interval();
  }

  /** One storage, with the settings of {@code bulwark.backup.storage} and their defaults. */
  interface Side extends StorageLocation {}
}
