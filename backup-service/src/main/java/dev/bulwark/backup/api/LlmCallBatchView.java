package dev.bulwark.backup.api;

import dev.bulwark.backup.llmcalls.StoredBatch;

/**
 * The answer to a batch: how many of its calls the archive holds now. The same for a retry, which
 * stores nothing twice.
 */
public record LlmCallBatchView(int accepted) {

  static LlmCallBatchView of(StoredBatch batch) {
    return new LlmCallBatchView(batch.accepted());
  }
}
