package dev.bulwark.backup.config;

import dev.bulwark.backup.storage.StorageUrl;
import org.eclipse.microprofile.config.spi.Converter;

/** Reads {@code bulwark.backup.storage.url}; a URL it cannot use fails the start, naming it. */
public class StorageUrlConverter implements Converter<StorageUrl> {

  @Override
  public StorageUrl convert(String value) {
    return StorageUrl.parse(value);
  }
}
