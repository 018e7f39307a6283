package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.email.EmailEvents;

/** What became of one verified SNS delivery, by its {@link SnsMessage.Type}. */
public sealed interface SnsDelivery {

  SnsMessage.Type type();

  /** A notification: its SES events were recorded. */
  record Counted(EmailEvents.Outcome events) implements SnsDelivery {
    @Override
    public SnsMessage.Type type() {
      return SnsMessage.Type.NOTIFICATION;
    }
  }

  /** A subscription confirmation: whether this service confirmed it (else it logged the URL). */
  record SubscriptionHandled(boolean confirmed) implements SnsDelivery {
    @Override
    public SnsMessage.Type type() {
      return SnsMessage.Type.SUBSCRIPTION_CONFIRMATION;
    }
  }

  /** The topic unsubscribed this endpoint; nothing to do but log it. */
  record Unsubscribed() implements SnsDelivery {
    @Override
    public SnsMessage.Type type() {
      return SnsMessage.Type.UNSUBSCRIBE_CONFIRMATION;
    }
  }
}
