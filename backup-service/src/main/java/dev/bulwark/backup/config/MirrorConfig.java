package dev.bulwark.backup.config;

import dev.bulwark.backup.storage.StorageUrl;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.net.URI;
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
  interface Side {

    /** {@code file:///absolute/path} or {@code s3://bucket[/prefix]}. */
    @WithConverter(StorageUrlConverter.class)
    StorageUrl url();

    /** An S3-compatible endpoint (Supabase Storage's S3 API, MinIO, R2...) instead of AWS's. */
    Optional<URI> endpoint();

    @WithDefault("us-east-1")
    String region();

    @WithDefault("false")
    boolean pathStyle();

    @WithDefault("16M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize partSize();

    @WithDefault("1000")
    int listPageSize();

    /** From {@code BULWARK_BACKUP_MIRRORS_<NAME>_<SOURCE|DESTINATION>_ACCESS_KEY_ID}. */
    Optional<String> accessKeyId();

    /** From {@code BULWARK_BACKUP_MIRRORS_<NAME>_<SOURCE|DESTINATION>_SECRET_ACCESS_KEY}. */
    Optional<String> secretAccessKey();

    @WithDefault("5s")
    Duration connectTimeout();

    @WithDefault("60s")
    Duration attemptTimeout();
  }
}
