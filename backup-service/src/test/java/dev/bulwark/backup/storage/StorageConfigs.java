package dev.bulwark.backup.storage;

import dev.bulwark.backup.config.StorageConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** Builds {@link StorageConfig} from properties as Quarkus would, without starting Quarkus. */
public final class StorageConfigs {

  private StorageConfigs() {}

  public static StorageConfig of(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(StorageConfig.class)
        .withConverter(Duration.class, 100, new DurationConverter())
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .build()
        .getConfigMapping(StorageConfig.class);
  }
}
