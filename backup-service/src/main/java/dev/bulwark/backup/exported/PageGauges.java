package dev.bulwark.backup.exported;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.pages.PageTotals;
import dev.bulwark.backup.store.PageStore;
import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * What the archive holds of pages, read from the database on every replica: {@code
 * bulwark_archive_stored_bytes{kind="pages",form="raw|compressed"}} (distinct contents, so
 * deduplicated fetches count once) and {@code bulwark_archive_objects{kind="pages"}}; {@code
 * bulwark_archive_pages_gauges_up} is 0 while they cannot be read.
 */
@ApplicationScoped
public class PageGauges {

  /** The job's name in logs and job metrics. */
  public static final String JOB = "archive-pages-gauges";

  private final PageStore store;
  private final Jobs jobs;
  private final Freshness freshness;
  private final GaugeFamily storedBytes;
  private final GaugeFamily objects;

  /** {@code config} is read by the {@code @Scheduled} expression (see BackupGauges). */
  public PageGauges(
      PageStore store, PagesConfig config, Jobs jobs, MeterRegistry registry, Clock clock) {
    this.store = store;
    this.jobs = jobs;
    freshness =
        Freshness.register(registry, "bulwark.archive.pages.gauges", "the pages' index", clock);
    storedBytes =
        GaugeFamily.register(
            registry,
            "bulwark.archive.stored.bytes",
            "Archived content: raw (as fetched or called) and compressed (as stored), deduplicated");
    objects =
        GaugeFamily.register(
            registry, "bulwark.archive.objects", "Archived objects (distinct contents)");
  }

  /** Reads and publishes now; also what the schedule runs. */
  @Scheduled(
      every = "${bulwark.backup.pages.gauges-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> refresh() {
    return jobs.onEveryReplica(JOB, () -> freshness.track(store.totals().invoke(this::publish)));
  }

  private void publish(PageTotals totals) {
    storedBytes.row(totals.rawBytes(), "kind", "pages", "form", "raw");
    storedBytes.row(totals.storedBytes(), "kind", "pages", "form", "compressed");
    storedBytes.publish();
    objects.row(totals.objects(), "kind", "pages").publish();
  }
}
