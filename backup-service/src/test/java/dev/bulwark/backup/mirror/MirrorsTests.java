package dev.bulwark.backup.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.config.MirrorConfig;
import dev.bulwark.backup.config.StorageConfig;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectStorage;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mirror settings as the service reads them at start-up, and the ones it refuses. */
class MirrorsTests {

  @TempDir Path dir;

  @Test
  void aMirrorWithoutSourceMirrorsTheServicesOwnStorage() {
    try (ObjectStorage own = FileStorage.at(dir.resolve("own"))) {
      Mirrors mirrors =
          mirrors(
              Map.of(
                  "bulwark.backup.mirrors.second-region.destination.url",
                  "s3://far-bucket/backups",
                  "bulwark.backup.mirrors.second-region.destination.access-key-id",
                  "id",
                  "bulwark.backup.mirrors.second-region.destination.secret-access-key",
                  "secret"),
              own);

      Mirror mirror = mirrors.named("second-region");
      assertThat(mirrors.names()).containsExactly("second-region");
      assertThat(mirror.source()).isSameAs(own);
      assertThat(mirror.destination().location()).isEqualTo("s3://far-bucket/backups/");
      assertThat(mirror.deleteExtraneous()).isFalse();
      assertThat(mirror.interval()).isEqualTo(Duration.ofHours(1));
      mirrors.close();
    }
  }

  @Test
  void aDestinationEqualToTheSourceIsRefusedNamingTheSetting() {
    assertThatThrownBy(
            () ->
                mirrors(
                    Map.of(
                        "bulwark.backup.mirrors.loop.destination.url",
                        dir.resolve("own").toUri().toString()),
                    FileStorage.at(dir.resolve("own"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bulwark.backup.mirrors.loop.destination.url")
        .hasMessageContaining("overlaps");
  }

  @Test
  void aDestinationInsideTheSourceBucketPrefixIsRefused() {
    assertThatThrownBy(
            () ->
                mirrors(
                    Map.of(
                        "bulwark.backup.mirrors.nested.source.url", "s3://b/data",
                        "bulwark.backup.mirrors.nested.destination.url", "s3://b/data/copy"),
                    FileStorage.at(dir.resolve("own"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bulwark.backup.mirrors.nested.destination.url");
  }

  @Test
  void aNameOutsideLettersDigitsDashAndUnderscoreIsRefused() {
    assertThatThrownBy(
            () ->
                mirrors(
                    Map.of("bulwark.backup.mirrors.eu+copy.destination.url", "s3://far/"),
                    FileStorage.at(dir.resolve("own"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'eu+copy'")
        .hasMessageContaining("bulwark.backup.mirrors.eu+copy");
  }

  @Test
  void halfOfACredentialIsRefusedNamingBothEnvironmentVariablesButNotTheValue() {
    assertThatThrownBy(
            () ->
                mirrors(
                    Map.of(
                        "bulwark.backup.mirrors.offsite.destination.url",
                        "s3://far/",
                        "bulwark.backup.mirrors.offsite.destination.secret-access-key",
                        "do-not-print-me"),
                    FileStorage.at(dir.resolve("own"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BULWARK_BACKUP_MIRRORS_OFFSITE_DESTINATION_ACCESS_KEY_ID")
        .hasMessageContaining("BULWARK_BACKUP_MIRRORS_OFFSITE_DESTINATION_SECRET_ACCESS_KEY")
        .hasMessageNotContaining("do-not-print-me");
  }

  private Mirrors mirrors(Map<String, String> settings, ObjectStorage own) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("bulwark.backup.storage.url", dir.resolve("own").toUri().toString());
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(MirrorConfig.class)
            .withMapping(StorageConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(all, "test", 100))
            .build();
    return new Mirrors(
        config.getConfigMapping(MirrorConfig.class),
        config.getConfigMapping(StorageConfig.class),
        own);
  }
}
