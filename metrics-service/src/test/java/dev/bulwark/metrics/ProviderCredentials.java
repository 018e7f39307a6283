package dev.bulwark.metrics;

import dev.bulwark.metrics.email.webhook.SendGridSigner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/** The email providers' credentials for the tests: a SendGrid key pair, SNS Basic credentials. */
public final class ProviderCredentials implements QuarkusTestResourceLifecycleManager {

  public static final String SNS_USER = "sns";
  public static final String SNS_TOPIC = "arn:aws:sns:us-east-1:123456789012:bulwark-ses-events";

  /** The topic of the messages AWS signed (webhooks/aws-sns-*.json). */
  public static final String AWS_TOPIC = "arn:aws:sns:us-west-2:131990247566:dongie-standard-topic";

  public static final String SNS_PASSWORD = UUID.randomUUID().toString();
  public static final SendGridSigner SENDGRID = new SendGridSigner();

  @Override
  public Map<String, String> start() {
    return Map.of(
        "bulwark.metrics.webhooks.sendgrid.verification-key",
        SENDGRID.publicKeyBase64(),
        "bulwark.metrics.webhooks.sns.username",
        SNS_USER,
        "bulwark.metrics.webhooks.sns.password",
        SNS_PASSWORD,
        "bulwark.metrics.webhooks.sns.topic-arns",
        SNS_TOPIC + "," + AWS_TOPIC,
        "bulwark.metrics.webhooks.sns.auto-confirm",
        "true",
        // The confirmation test serves its SubscribeURL on loopback.
        "bulwark.metrics.webhooks.sns.confirm-host-pattern",
        "127\\.0\\.0\\.1");
  }

  @Override
  public void stop() {}
}
