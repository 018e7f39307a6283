package dev.bulwark.backup.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The raw-data archive's pages under {@code bulwark.backup.pages}; docs/api/archive.md (Pages). */
@ConfigMapping(prefix = "bulwark.backup.pages")
public interface PagesConfig {

  /**
   * The largest page accepted, both as sent and decoded (413 beyond it). Keep it under {@code
   * quarkus.http.limits.max-body-size} (10M by default), which refuses larger bodies first.
   */
  @WithDefault("8M")
  @WithConverter(MemorySizeConverter.class)
  MemorySize maxPageSize();

  /**
   * zstd level of pages as they are stored; recompaction raises it later. 5, not 3: with a
   * dictionary it stores the docs corpus 9% smaller at a cost (about 0.2 ms a page) far below a
   * page's storage sync (docs/benchmarks.md, bench/archive).
   */
  @WithDefault("5")
  @Min(1)
  @Max(22)
  int ingestLevel();

  /** Pages in one {@code POST /api/v1/archive/pages/batches} at most (413 beyond). */
  @WithDefault("500")
  @Min(1)
  int maxBatchPages();

  /**
   * Objects of one batch written to storage at once: their syncs overlap (the file system commits
   * them together, an S3 server takes them on parallel connections).
   */
  @WithDefault("16")
  @Min(1)
  @Max(64)
  int batchParallelism();

  /** How single pages ({@code POST /api/v1/archive/pages}) are stored together. */
  GroupCommit groupCommit();

  /** Pages first stored longer ago than this are rewritten at {@link #recompactLevel()}. */
  @WithDefault("7d")
  Duration recompactAfter();

  @WithDefault("19")
  @Min(1)
  @Max(22)
  int recompactLevel();

  /** Objects rewritten per recompaction run. */
  @WithDefault("500")
  @Min(1)
  int recompactBatch();

  @WithDefault("1h")
  Duration recompactEvery();

  /** Pages fetched longer ago than this are deleted, unless their lead is under legal hold. */
  @WithDefault("365d")
  Duration retention();

  @WithDefault("1h")
  Duration retentionEvery();

  /**
   * How long after start the single-replica jobs (dictionary, recompaction, retention) first run.
   */
  @WithDefault("1m")
  Duration jobsDelay();

  /** How often the gauges are re-read from the database (every replica). */
  @WithDefault("60s")
  Duration gaugesEvery();

  /** Dictionary training. */
  Dictionary dictionary();

  /** Training of the zstd dictionary that new pages are compressed with. */
  interface Dictionary {

    @WithDefault("6h")
    Duration every();

    /**
     * The dictionary's size; zstd's own advice is about 100 times smaller than the sample. On HTML
     * documentation 512K from a 32M sample stored 5% smaller after recompaction than 256K.
     */
    @WithDefault("512K")
    @WithConverter(MemorySizeConverter.class)
    MemorySize size();

    /**
     * The newest pages read for a training, at most this many bytes of raw HTML (held in memory
     * while the job trains). 32M, not 16M: recompaction's dictionary needs the larger sample.
     */
    @WithDefault("32M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize sampleSize();

    /** Fewer stored pages than this: no training yet. */
    @WithDefault("50")
    @Min(10)
    int minPages();
  }

  /**
   * Group commit of single pages: requests that arrive while {@link #inFlight()} groups are being
   * stored are stored together in the next group, up to {@link #maxPages()}.
   */
  interface GroupCommit {

    /**
     * Groups stored at once; a request finding fewer is stored at once, alone. 1: while one group
     * is stored the next fills, so groups are larger (fewer commits and round trips per page; 443
     * against 362 warm pages/s in bench/archive on 2 cores).
     */
    @WithDefault("1")
    @Min(1)
    @Max(64)
    int inFlight();

    /** Pages in one group at most. */
    @WithDefault("64")
    @Min(1)
    @Max(500)
    int maxPages();
  }
}
