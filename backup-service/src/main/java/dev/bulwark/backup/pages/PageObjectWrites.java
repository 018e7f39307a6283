package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.common.logging.OutageLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;

/**
 * Compresses pages at the ingest level (with a dictionary when one is given) and writes them to
 * storage: one way for single pages and batches. An unreachable storage is logged once when it
 * starts failing and once when it recovers ({@link OutageLog}), not once per page: during an outage
 * every store answers 503 and the log stays readable.
 */
@ApplicationScoped
public class PageObjectWrites {

  private final ObjectStorage storage;
  private final OutageLog outages;
  private final PageDictionaries dictionaries;
  private final PagesConfig config;
  private final Clock clock;
  private final String source;

  public PageObjectWrites(
      ObjectStorage storage,
      OutageLog outages,
      PageDictionaries dictionaries,
      PagesConfig config,
      Clock clock) {
    this.storage = storage;
    this.outages = outages;
    this.dictionaries = dictionaries;
    this.config = config;
    this.clock = clock;
    this.source = "archive page storage " + storage.location();
  }

  /** Compresses {@code html} and stores it as the object {@code sha256} (blocking). */
  PageObject put(byte[] html, String sha256, Optional<Long> dictionaryId) {
    Optional<ZstdDictionary> dictionary = dictionaryId.map(dictionaries::get);
    byte[] frame = PageCodec.compress(html, dictionary, config.ingestLevel());
    put(PageObject.keyOf(sha256), frame);
    return new PageObject(
        sha256,
        html.length,
        frame.length,
        dictionaryId,
        config.ingestLevel(),
        clock.instant(),
        Optional.empty());
  }

  private void put(ObjectKey key, byte[] frame) {
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
