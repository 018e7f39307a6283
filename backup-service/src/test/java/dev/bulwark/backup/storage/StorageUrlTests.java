package dev.bulwark.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageUrlTests {

  @Test
  void readsAFileUrl() {
    assertThat(StorageUrl.parse("file:///var/lib/bulwark/storage"))
        .isEqualTo(new StorageUrl.File(Path.of("/var/lib/bulwark/storage")));
  }

  @ParameterizedTest
  @CsvSource({
    "s3://backups,backups,''",
    "s3://backups/,backups,''",
    "s3://backups/prod,backups,prod/",
    "s3://backups/prod/db/,backups,prod/db/"
  })
  void readsAnS3UrlWithItsPrefix(String url, String bucket, String prefix) {
    assertThat(StorageUrl.parse(url)).isEqualTo(new StorageUrl.S3(bucket, prefix));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://host/dir|unsupported scheme 'ftp'",
        "/plain/path|unsupported scheme ''",
        "file://relative/dir|does not name an absolute directory",
        "s3:///no-bucket|does not name a bucket",
        "s3://key:secret@bucket/x|does not name a bucket",
        "s3://bucket/a//b|unusable key prefix",
        "s3://bucket/x?versioning=1|query or fragment",
        "not a url|is not a URL"
      })
  void explainsAUrlItCannotUse(String url, String problem) {
    assertThatThrownBy(() -> StorageUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining("use file:///absolute/path or s3://bucket[/prefix]");
  }

  @Test
  void anUnusableUrlFailsTheConfigurationNamingTheSetting() {
    assertThatThrownBy(
            () -> StorageConfigs.of(Map.of("bulwark.backup.storage.url", "gs://bucket/x")).url())
        .hasMessageContaining("bulwark.backup.storage.url")
        .hasMessageContaining("unsupported scheme 'gs'");
  }

  @Test
  void aPartSmallerThanS3AllowsFailsNamingTheSetting() {
    assertThatThrownBy(
            () ->
                ObjectStorages.open(
                    StorageConfigs.of(
                        Map.of(
                            "bulwark.backup.storage.url", "s3://bucket/",
                            "bulwark.backup.storage.part-size", "1M"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bulwark.backup.storage.part-size");
  }

  @Test
  void halfACredentialFailsNamingBothSettings() {
    assertThatThrownBy(
            () ->
                ObjectStorages.open(
                    StorageConfigs.of(
                        Map.of(
                            "bulwark.backup.storage.url", "s3://bucket/",
                            "bulwark.backup.storage.access-key-id", "AKIAEXAMPLE"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BULWARK_BACKUP_STORAGE_SECRET_ACCESS_KEY")
        .hasMessageNotContaining("AKIAEXAMPLE");
  }
}
