package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The PostgreSQL server verifications restore into, under {@code bulwark.backup.scratch}; unset,
 * each verification uses its target's own server.
 */
@ConfigMapping(prefix = "bulwark.backup.scratch")
public interface ScratchConfig {

  /**
   * {@code postgresql://host[:port]/database}: the database is only connected to, to create and
   * drop the scratch databases beside it.
   */
  Optional<String> url();

  /** A role allowed to create databases. */
  Optional<String> username();

  /** From the environment: {@code BULWARK_BACKUP_SCRATCH_PASSWORD}. */
  Optional<String> password();
}
