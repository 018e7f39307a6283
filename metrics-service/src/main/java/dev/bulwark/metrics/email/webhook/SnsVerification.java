package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.config.MetricsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether an SNS message may be acted on: from an allowed topic, signed by SNS (its Signature
 * verifies against the certificate at its allowed SigningCertURL) and fresh. Fresh means published
 * at most {@code bulwark.metrics.webhooks.sns.max-message-age} before the service clock's now,
 * since SNS stops retrying an HTTP(S) delivery after an hour: an older signed message is a replay.
 */
@ApplicationScoped
public class SnsVerification {

  private final SigningCertificates certificates;
  private final Clock clock;
  private final boolean verifySignatures;
  private final Optional<List<String>> topics;
  private final Duration maxAge;
  private final Duration maxSkew;

  public SnsVerification(SigningCertificates certificates, Clock clock, MetricsConfig config) {
    this.certificates = certificates;
    this.clock = clock;
    this.verifySignatures = config.webhooks().snsVerifySignatures();
    this.topics = config.webhooks().snsTopicArns();
    this.maxAge = config.webhooks().snsMaxMessageAge();
    this.maxSkew = config.maxClockSkew();
  }

  /** Completes with the message when it may be acted on; fails with a 401, 403 or 503 problem. */
  public Uni<SnsMessage> verified(SnsMessage message) {
    if (topics.isPresent() && !topics.get().contains(message.topicArn())) {
      throw new TopicNotAllowed(message.topicArn());
    }
    if (!verifySignatures) {
      return Uni.createFrom().item(message);
    }
    return Uni.createFrom()
        .completionStage(() -> certificates.certificate(message.signingCertUrl()))
        .map(
            certificate -> {
              if (!SnsSignature.verify(message, certificate)) {
                throw new UnauthorizedWebhook(
                    "the SNS Signature does not verify against the certificate at "
                        + message.signingCertUrl()
                        + "; nothing was counted");
              }
              // Checked after the signature: only a signed Timestamp says when SNS published it.
              requireFresh(message.timestamp());
              return message;
            });
  }

  private void requireFresh(Instant published) {
    Instant now = clock.instant();
    if (published.isBefore(now.minus(maxAge))) {
      throw new UnauthorizedWebhook(
          "the SNS message was published at "
              + published
              + ", more than bulwark.metrics.webhooks.sns.max-message-age ("
              + maxAge
              + ") ago; SNS does not retry that long, so it is refused as a replay");
    }
    if (published.isAfter(now.plus(maxSkew))) {
      throw new UnauthorizedWebhook(
          "the SNS message's Timestamp "
              + published
              + " lies in the future; check the clock of this host");
    }
  }
}
