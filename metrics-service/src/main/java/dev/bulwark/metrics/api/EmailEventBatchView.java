package dev.bulwark.metrics.api;

import dev.bulwark.metrics.email.EmailEvents;

/**
 * The answer to a batch of email events: how many came, were stored, were duplicates, and were
 * ignored (provider events that are not counted).
 */
public record EmailEventBatchView(int received, long stored, long duplicates, int ignored) {

  static EmailEventBatchView of(EmailEvents.Outcome outcome) {
    return new EmailEventBatchView(
        outcome.received(), outcome.stored(), outcome.duplicates(), outcome.ignored());
  }
}
