package dev.bulwark.metrics.email;

import dev.bulwark.metrics.intake.IntakeRules;
import dev.bulwark.metrics.store.EmailStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Records email events from any source: checks the batch as a whole, then stores it at once. */
@ApplicationScoped
public class EmailEvents {

  /** What became of a batch; {@code ignored} counts provider events we do not count. */
  public record Outcome(int received, long stored, long duplicates, int ignored) {}

  private final EmailStore store;
  private final IntakeRules rules;

  public EmailEvents(EmailStore store, IntakeRules rules) {
    this.store = store;
    this.rules = rules;
  }

  /**
   * Stores a batch of the suite's own format, at most {@code bulwark.metrics.max-batch} events;
   * throws a problem naming the first bad event before anything is written.
   */
  public Uni<Outcome> record(String field, List<EmailEvent> events, int ignored) {
    rules.requireBatchSize(field, events.size() + ignored);
    return insert(field, events, ignored);
  }

  /**
   * Stores a provider's webhook delivery however many events it holds: the provider decides its
   * batch size, and the webhook bounds the body by bytes instead.
   */
  public Uni<Outcome> recordDelivery(String field, List<EmailEvent> events, int ignored) {
    return insert(field, events, ignored);
  }

  private Uni<Outcome> insert(String field, List<EmailEvent> events, int ignored) {
    for (int i = 0; i < events.size(); i++) {
      rules.requireNotInFuture(field + "[" + i + "].occurredAt", events.get(i).occurredAt());
    }
    return store
        .insert(events)
        .map(
            stored ->
                new Outcome(events.size() + ignored, stored, events.size() - stored, ignored));
  }
}
