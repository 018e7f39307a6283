package dev.bulwark.metrics.email.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that parsing a webhook body refuses it with a 400 naming one field. */
final class InvalidInput {

  private InvalidInput() {}

  static void assertRefused(ThrowingCallable parse, String field) {
    assertThatThrownBy(parse)
        .isInstanceOfSatisfying(
            InvalidWebhookPayload.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.errors())
                  .singleElement()
                  .satisfies(e -> assertThat(e.field()).isEqualTo(field));
            });
  }
}
