package dev.bulwark.metrics.api;

import dev.bulwark.metrics.leads.RecordedLeads;

/** The answer to a batch of leads: how many came, were stored, and were duplicates. */
public record LeadBatchView(int received, long stored, long duplicates) {

  static LeadBatchView of(RecordedLeads recorded) {
    return new LeadBatchView(recorded.received(), recorded.stored(), recorded.duplicates());
  }
}
