package dev.bulwark.backup.exported;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** Counters of the archive's pages, per replica (rules sum them); registered once at start. */
@ApplicationScoped
public class PageCounters {

  private final Counter ingested;
  private final Counter deduplicated;
  private final Counter retentionDeleted;
  private final DistributionSummary groups;
  private final AtomicInteger waiting = new AtomicInteger();

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
    groups =
        DistributionSummary.builder("bulwark.archive.page.group.pages")
            .description("Single pages stored together in one group commit")
            .register(registry);
    Gauge.builder("bulwark.archive.page.group.waiting", waiting, AtomicInteger::get)
        .description("Single pages waiting for a group commit slot")
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

  /**
   * {@code bulwark_archive_page_group_pages_count} and {@code _sum}: sum over count is the mean
   * group size, 1 when crawlers send one page at a time.
   */
  public void group(int pages) {
    groups.record(pages);
  }

  /** {@code bulwark_archive_page_group_waiting}: {@code delta} pages began or stopped waiting. */
  public void waiting(int delta) {
    waiting.addAndGet(delta);
  }
}
