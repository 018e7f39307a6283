package dev.bulwark.backup.llmcalls;

import dev.bulwark.backup.config.LlmCallsConfig;
import dev.bulwark.backup.exported.ArchiveCounters;
import dev.bulwark.backup.llmcalls.LlmCallProblems.BatchTooLarge;
import dev.bulwark.backup.llmcalls.LlmCallProblems.EmptyBatch;
import dev.bulwark.backup.llmcalls.LlmCallProblems.InvalidLlmCall;
import dev.bulwark.backup.llmcalls.LlmCallProblems.RangeRequired;
import dev.bulwark.backup.llmcalls.LlmCallProblems.RepeatedId;
import dev.bulwark.backup.store.LlmCallMonths;
import dev.bulwark.backup.store.LlmCallPartitionStore;
import dev.bulwark.backup.store.LlmCallStore;
import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.common.problem.TooLargeProblem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The LLM-call archive's use cases: store a batch, read a page, export a range. */
@ApplicationScoped
public class LlmCallArchive {

  private final LlmCallStore store;
  private final LlmCallPartitionStore partitions;
  private final ArchiveCounters counters;
  private final LlmCallsConfig config;
  private final Clock clock;

  public LlmCallArchive(
      LlmCallStore store,
      LlmCallPartitionStore partitions,
      ArchiveCounters counters,
      LlmCallsConfig config,
      Clock clock) {
    this.store = store;
    this.partitions = partitions;
    this.counters = counters;
    this.config = config;
    this.clock = clock;
  }

  /** The most calls one batch may carry, for the resource to refuse more before converting. */
  public int maxBatchCalls() {
    return config.maxBatchCalls();
  }

  /**
   * Stores a batch whole or not at all: every call is checked first (a bad one is named, nothing is
   * stored), the partitions of its months are made, then one transaction stores the new calls.
   */
  public Uni<StoredBatch> store(List<LlmCall> calls) {
    check(calls);
    return partitions
        .ensure(calls.stream().map(c -> LlmCallMonths.of(c.startedAt())).toList())
        .flatMap(ignored -> store.store(calls, clock.instant()))
        .invoke(
            batch ->
                counters.llmCallsStored(
                    batch.accepted() - batch.deduplicated(), batch.deduplicated()));
  }

  private void check(List<LlmCall> calls) {
    if (calls.isEmpty()) {
      throw new EmptyBatch();
    }
    if (calls.size() > config.maxBatchCalls()) {
      throw new TooLargeProblem("calls", calls.size(), config.maxBatchCalls());
    }
    long bytes = calls.stream().mapToLong(LlmCall::rawBytes).sum();
    if (bytes > config.maxBatchBytes()) {
      throw new BatchTooLarge(bytes, config.maxBatchBytes());
    }
    Instant now = clock.instant();
    Instant oldest = now.minus(config.retention());
    Instant latest = now.plus(config.futureSkew());
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < calls.size(); i++) {
      LlmCall call = calls.get(i);
      Integer first = firstIndex.putIfAbsent(call.id(), i);
      if (first != null) {
        throw new RepeatedId(i, first);
      }
      if (call.startedAt().isBefore(oldest)) {
        throw new InvalidLlmCall(
            i,
            "startedAt",
            "is older than the archive keeps calls ("
                + config.retention().toDays()
                + " days, so not before "
                + oldest
                + ")");
      }
      if (call.startedAt().isAfter(latest)) {
        throw new InvalidLlmCall(i, "startedAt", "is in the future (after " + latest + ")");
      }
    }
  }

  /** One page of the query, by keyset. */
  public Uni<LlmCallPage> page(LlmCallQuery query) {
    Instant from = query.from().orElse(Instant.EPOCH);
    Instant to = query.to().orElse(clock.instant().plus(config.futureSkew()));
    return store
        .page(query, from, to)
        .map(
            rows -> {
              KeysetPage<LlmCall, LlmCallCursor> page =
                  KeysetPage.of(rows, query.limit(), query::cursorAfter);
              return new LlmCallPage(page.items(), page.next());
            });
  }

  /**
   * Every call of the query's filters in its range, which an export must name, streamed in order.
   */
  public Multi<LlmCall> export(LlmCallQuery query) {
    Instant from = query.from().orElseThrow(() -> new RangeRequired("from"));
    Instant to = query.to().orElseThrow(() -> new RangeRequired("to"));
    return store.export(query, from, to);
  }
}
