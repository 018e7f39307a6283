package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.email.EmailEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Receives one authenticated SendGrid Event Webhook batch: all of its events count, or none. */
@ApplicationScoped
public class SendGridDeliveries {

  private final EmailEvents events;

  public SendGridDeliveries(EmailEvents events) {
    this.events = events;
  }

  /** Parses the body and records its events; a bad event is a 400 before anything is written. */
  public Uni<EmailEvents.Outcome> receive(byte[] body) {
    ParsedEvents parsed = SendGridEvents.parse(body);
    return events.recordDelivery("body", parsed.events(), parsed.ignored());
  }
}
