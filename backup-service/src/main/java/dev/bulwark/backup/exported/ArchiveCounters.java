package dev.bulwark.backup.exported;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The raw-data archive's counters for LLM calls, per replica (rules sum them): rows ingested,
 * retried writes stored once, rows retention deleted. Registered at start-up so that they show 0
 * before the first write.
 */
@Startup
@ApplicationScoped
public class ArchiveCounters {

  static final String LLM_CALLS = "llm-calls";

  private final Counter ingested;
  private final Counter deduplicated;
  private final Counter retentionDeleted;

  public ArchiveCounters(MeterRegistry registry) {
    ingested =
        Counter.builder("bulwark.archive.ingested")
            .description("Records newly stored in the raw-data archive")
            .tag("kind", LLM_CALLS)
            .register(registry);
    deduplicated =
        Counter.builder("bulwark.archive.deduplicated.writes")
            .description("Writes of records the archive already held (retries), stored once")
            .tag("kind", LLM_CALLS)
            .register(registry);
    retentionDeleted =
        Counter.builder("bulwark.archive.retention.deleted")
            .description("Archived records deleted by retention (legal holds excepted)")
            .tag("kind", LLM_CALLS)
            .register(registry);
  }

  public void llmCallsStored(int stored, int duplicates) {
    ingested.increment(stored);
    deduplicated.increment(duplicates);
  }

  public void llmCallsExpired(long deleted) {
    retentionDeleted.increment(deleted);
  }
}
