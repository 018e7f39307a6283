package dev.bulwark.backup.config;

import dev.bulwark.backup.storage.StorageSettings;
import dev.bulwark.backup.storage.StorageUrl;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where objects are kept and how to reach them: the settings of {@code bulwark.backup.storage} and
 * of each side of a mirror; docs/api/backup.md (Storage) lists them.
 */
public interface StorageLocation {

  /** {@code file:///absolute/path} or {@code s3://bucket[/prefix]}. */
  @WithConverter(StorageUrlConverter.class)
  StorageUrl url();

  /** An S3-compatible endpoint instead of AWS's (MinIO, S3Proxy, Ceph, R2...). */
  Optional<URI> endpoint();

  @WithDefault("us-east-1")
  String region();

  /** Address buckets as {@code endpoint/bucket} rather than {@code bucket.endpoint}. */
  @WithDefault("false")
  boolean pathStyle();

  /** Bytes per multipart part, held in memory once per upload; 5M (S3's minimum) to 1G. */
  @WithDefault("16M")
  @WithConverter(MemorySizeConverter.class)
  MemorySize partSize();

  /** Keys per list request; S3 answers at most 1000. */
  @WithDefault("1000")
  int listPageSize();

  /**
   * From the environment ({@code BULWARK_BACKUP_STORAGE_ACCESS_KEY_ID}, or a mirror side's {@code
   * BULWARK_BACKUP_MIRRORS_<NAME>_<SOURCE|DESTINATION>_ACCESS_KEY_ID}); unset, the SDK's default
   * chain.
   */
  Optional<String> accessKeyId();

  /** From the environment like the key id, together with it. */
  Optional<String> secretAccessKey();

  /** How long opening a connection to S3 may take. */
  @WithDefault("5s")
  Duration connectTimeout();

  /**
   * How long one attempt of one S3 request may take (a part upload included), before the SDK's
   * retries; a hung endpoint fails after about three of these.
   */
  @WithDefault("60s")
  Duration attemptTimeout();

  /** These settings for {@code ObjectStorages.open}, refusals naming {@code prefix}'s keys. */
  default StorageSettings settings(String prefix) {
    return new StorageSettings(
        prefix,
        url(),
        endpoint(),
        region(),
        pathStyle(),
        partSize().asLongValue(),
        listPageSize(),
        accessKeyId(),
        secretAccessKey(),
        connectTimeout(),
        attemptTimeout());
  }
}
