package dev.bulwark.metrics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.metrics.email.EmailEvents;
import dev.bulwark.metrics.email.webhook.SnsDelivery;

/**
 * What the SES webhook did with an SNS message: its {@code type}, and the events counted for a
 * notification or whether a subscription was confirmed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnsDeliveryView(String type, EmailEvents.Outcome events, Boolean confirmed) {

  static SnsDeliveryView of(SnsDelivery delivery) {
    String type = delivery.type().wire();
    // Java 17 has no pattern switch; the sealed interface keeps this list complete.
    if (delivery instanceof SnsDelivery.Counted counted) {
      return new SnsDeliveryView(type, counted.events(), null);
    }
    if (delivery instanceof SnsDelivery.SubscriptionHandled handled) {
      return new SnsDeliveryView(type, null, handled.confirmed());
    }
    return new SnsDeliveryView(type, null, null);
  }
}
