package dev.bulwark.backup.exported;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counters of the archive's pages, per replica (rules sum them); registered once at start. */
@ApplicationScoped
public class PageCounters {

  private final Counter ingested;
  private final Counter deduplicated;
  private final Counter retentionDeleted;

  public PageCounters(MeterRegistry registry) {
    ingested =
        Counter.builder("bulwark.archive.ingested")
            .description("Archived records written (a fetch of a page, an LLM call)")
            .tag("kind", "pages")
            .register(registry);
    deduplicated =
        Counter.builder("bulwark.archive.deduplicated.writes")
            .description("Archived records whose content was already stored: only indexed")
            .tag("kind", "pages")
            .register(registry);
    retentionDeleted =
        Counter.builder("bulwark.archive.retention.deleted")
            .description("Archived records deleted by retention")
            .tag("kind", "pages")
            .register(registry);
  }

  /** {@code bulwark_archive_ingested_total{kind="pages"}}. */
  public void ingested(boolean deduplicatedWrite) {
    ingested.increment();
    if (deduplicatedWrite) {
      deduplicated.increment();
    }
  }

  /** {@code bulwark_archive_retention_deleted_total{kind="pages"}}. */
  public void retentionDeleted(int pages) {
    retentionDeleted.increment(pages);
  }
}
