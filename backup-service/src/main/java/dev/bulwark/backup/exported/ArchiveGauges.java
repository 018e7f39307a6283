package dev.bulwark.backup.exported;

import dev.bulwark.backup.config.LlmCallsConfig;
import dev.bulwark.backup.llmcalls.ArchiveTotals;
import dev.bulwark.backup.store.LlmCallPartitionStore;
import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The raw-data archive's LLM-call gauges, read from the database on every replica (the same value
 * on each): bytes as received against bytes on disk, rows and partitions. {@code
 * bulwark_archive_llm_calls_gauges_up} is 0 while the database cannot be read.
 */
@ApplicationScoped
public class ArchiveGauges {

  /** The job's name in logs and job metrics. */
  public static final String JOB = "archive-llm-call-gauges";

  private final LlmCallPartitionStore store;
  private final Jobs jobs;
  private final Freshness freshness;
  private final GaugeFamily storedBytes;
  private final GaugeFamily rows;
  private final GaugeFamily partitions;

  /** {@code config} is read by the {@code @Scheduled} expression: injecting it registers it. */
  public ArchiveGauges(
      LlmCallPartitionStore store,
      LlmCallsConfig config,
      Jobs jobs,
      MeterRegistry registry,
      Clock clock) {
    this.store = store;
    this.jobs = jobs;
    freshness =
        Freshness.register(
            registry, "bulwark.archive.llm.calls.gauges", "the LLM-call archive", clock);
    storedBytes =
        GaugeFamily.register(
            registry,
            "bulwark.archive.stored.bytes",
            "Archived bytes: raw is the UTF-8 text as received, compressed the tables on disk"
                + " (pg_table_size: heap and TOAST, no indexes)");
    rows = GaugeFamily.register(registry, "bulwark.archive.rows", "Records in the archive");
    partitions =
        GaugeFamily.register(
            registry, "bulwark.archive.partitions", "Month partitions of the archive");
  }

  @Scheduled(
      every = "${bulwark.backup.llm-calls.gauges-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return jobs.onEveryReplica(JOB, () -> freshness.track(store.totals().invoke(this::publish)));
  }

  private void publish(ArchiveTotals totals) {
    String kind = ArchiveCounters.LLM_CALLS;
    storedBytes.row(totals.rawBytes(), "kind", kind, "form", "raw");
    storedBytes.row(totals.storedBytes(), "kind", kind, "form", "compressed");
    rows.row(totals.rows(), "kind", kind);
    partitions.row(totals.partitions(), "kind", kind);
    storedBytes.publish();
    rows.publish();
    partitions.publish();
  }
}
