package dev.bulwark.backup.storage;

import dev.bulwark.backup.config.StorageConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Produces the one {@link ObjectStorage} from {@code bulwark.backup.storage.url}'s scheme, at
 * start, so that unusable settings stop the service with a message naming them.
 */
@ApplicationScoped
public class ObjectStorages {

  static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  static final long MAX_PART_SIZE = 1024L * 1024 * 1024;

  @Produces
  @ApplicationScoped
  @Startup
  ObjectStorage objectStorage(StorageConfig config) {
    return open(config);
  }

  void close(@Disposes ObjectStorage storage) {
    storage.close();
  }

  /**
   * The storage {@code config} names.
   *
   * @throws IllegalArgumentException for settings that cannot work, naming the setting
   */
  public static ObjectStorage open(StorageConfig config) {
    return open(config.settings("bulwark.backup.storage"));
  }

  /**
   * The storage {@code settings} name (the service's own, or a mirror's side).
   *
   * @throws IllegalArgumentException for settings that cannot work, naming the setting
   */
  public static ObjectStorage open(StorageSettings settings) {
    if (settings.url() instanceof StorageUrl.File file) {
      return FileStorage.at(file.root());
    }
    StorageUrl.S3 s3 = (StorageUrl.S3) settings.url();
    long partSize = settings.partSize();
    if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
      throw new IllegalArgumentException(
          settings.prefix()
              + ".part-size must be between 5M (S3's minimum part) and 1G, not "
              + partSize
              + " bytes");
    }
    int pageSize = settings.listPageSize();
    if (pageSize < 1 || pageSize > 1000) {
      throw new IllegalArgumentException(
          settings.prefix() + ".list-page-size must be between 1 and 1000, not " + pageSize);
    }
    return new S3Storage(client(settings), s3, (int) partSize, pageSize);
  }

  private static S3Client client(StorageSettings config) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(config.region()))
            .forcePathStyle(config.pathStyle())
            // S3-compatible servers (S3Proxy, older MinIO) reject the SDK's default CRC checksums.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(config.connectTimeout())
                    .socketTimeout(config.attemptTimeout())
                    .build())
            .overrideConfiguration(o -> o.apiCallAttemptTimeout(config.attemptTimeout()))
            .credentialsProvider(credentials(config));
    config.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(StorageSettings config) {
    if (config.accessKeyId().isPresent() != config.secretAccessKey().isPresent()) {
      throw new IllegalArgumentException(
          "set both "
              + config.prefix()
              + ".access-key-id and .secret-access-key ("
              + config.environmentName("access-key-id")
              + ", "
              + config.environmentName("secret-access-key")
              + ") or neither, for the SDK's default credentials chain");
    }
    if (config.accessKeyId().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(config.accessKeyId().get(), config.secretAccessKey().get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
