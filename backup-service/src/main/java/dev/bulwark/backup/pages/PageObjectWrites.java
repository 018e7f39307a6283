package dev.bulwark.backup.pages;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.common.logging.OutageLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes page objects to storage. An unreachable storage is logged once when it starts failing and
 * once when it recovers ({@link OutageLog}), not once per page: during an outage every store
 * answers 503 and the log stays readable.
 */
@ApplicationScoped
public class PageObjectWrites {

  private final ObjectStorage storage;
  private final OutageLog outages;
  private final String source;

  public PageObjectWrites(ObjectStorage storage, OutageLog outages) {
    this.storage = storage;
    this.outages = outages;
    this.source = "archive page storage " + storage.location();
  }

  /** Writes {@code frame} under {@code key} (blocking). */
  void put(ObjectKey key, byte[] frame) {
    try {
      storage.put(key, new ByteArrayInputStream(frame));
    } catch (StorageUnavailable e) {
      outages.failed(source, e);
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    outages.succeeded(source);
  }
}
