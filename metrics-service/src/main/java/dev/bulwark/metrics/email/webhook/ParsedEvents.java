package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.email.EmailEvent;
import java.util.List;

/**
 * What one webhook delivery held: the events the rollups count, and how many valid provider events
 * were skipped because they are not counted (opens, clicks, sends and the like).
 */
public record ParsedEvents(List<EmailEvent> events, int ignored) {

  public ParsedEvents {
    events = List.copyOf(events);
    if (ignored < 0) {
      throw new IllegalArgumentException("ignored must not be negative");
    }
  }
}
