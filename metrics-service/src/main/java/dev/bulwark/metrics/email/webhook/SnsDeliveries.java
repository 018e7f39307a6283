package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.email.EmailEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Receives one Amazon SNS delivery of SES events: parses it, lets {@link SnsVerification} decide
 * whether it may be acted on, then records a notification's events or handles a (un)subscribe
 * confirmation. Nothing is recorded unless the whole message passed.
 */
@ApplicationScoped
public class SnsDeliveries {

  private static final Logger LOG = Logger.getLogger(SnsDeliveries.class);

  private final SnsVerification verification;
  private final EmailEvents events;
  private final SubscriptionConfirmer confirmer;

  public SnsDeliveries(
      SnsVerification verification, EmailEvents events, SubscriptionConfirmer confirmer) {
    this.verification = verification;
    this.events = events;
    this.confirmer = confirmer;
  }

  /** Acts on the SNS body; fails with a 400, 401, 403 or 503 problem, having recorded nothing. */
  public Uni<SnsDelivery> receive(byte[] body) {
    return verification.verified(SnsMessage.parse(body)).flatMap(this::act);
  }

  private Uni<SnsDelivery> act(SnsMessage message) {
    return switch (message.type()) {
      case NOTIFICATION -> {
        ParsedEvents parsed = SesNotifications.parse(message);
        yield events
            .recordDelivery("Message", parsed.events(), parsed.ignored())
            .map(SnsDelivery.Counted::new);
      }
      case SUBSCRIPTION_CONFIRMATION ->
          Uni.createFrom()
              .completionStage(() -> confirmer.handle(message))
              .map(SnsDelivery.SubscriptionHandled::new);
      case UNSUBSCRIBE_CONFIRMATION -> {
        LOG.infof("SNS topic %s unsubscribed this endpoint", message.topicArn());
        yield Uni.createFrom().item(new SnsDelivery.Unsubscribed());
      }
    };
  }
}
