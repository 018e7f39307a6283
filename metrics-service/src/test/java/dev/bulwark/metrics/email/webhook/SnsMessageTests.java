package dev.bulwark.metrics.email.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnsMessageTests {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsANotification() {
    SnsMessage sns = SnsMessage.parse(Fixtures.bytes("sns-ses-bounce.json"));

    assertThat(sns.type()).isEqualTo(SnsMessage.Type.NOTIFICATION);
    assertThat(sns.isNotification()).isTrue();
    assertThat(sns.messageId()).isEqualTo("5a1f3c2e-7d4b-5e6f-8a9b-0c1d2e3f4a5b");
    assertThat(sns.topicArn()).isEqualTo("arn:aws:sns:us-east-1:123456789012:bulwark-ses-events");
    assertThat(sns.timestamp()).isEqualTo(Instant.parse("2025-04-24T10:05:01.120Z"));
    assertThat(sns.message()).startsWith("{\"eventType\":\"Bounce\"");
    assertThat(sns.signatureVersion()).isEqualTo("1");
    assertThat(sns.signature()).isNotBlank();
    assertThat(sns.signingCertUrl()).startsWith("https://sns.us-east-1.amazonaws.com/");
    assertThat(sns.unsubscribeUrl()).contains("Action=Unsubscribe");
    assertThat(sns.subscribeUrl()).isNull();
    assertThat(sns.token()).isNull();
  }

  @Test
  void readsAnOptionalSubject() {
    assertThat(SnsMessage.parse(Fixtures.bytes("sns-ses-complaint.json")).subject())
        .isEqualTo("Amazon SES Email Event Notification");
    assertThat(SnsMessage.parse(Fixtures.bytes("sns-ses-bounce.json")).subject()).isNull();
  }

  @Test
  void readsASubscriptionConfirmation() {
    SnsMessage sns = SnsMessage.parse(Fixtures.bytes("sns-subscription-confirmation.json"));

    assertThat(sns.type()).isEqualTo(SnsMessage.Type.SUBSCRIPTION_CONFIRMATION);
    assertThat(sns.isNotification()).isFalse();
    assertThat(sns.subscribeUrl())
        .startsWith("https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&");
    assertThat(sns.token()).startsWith("2336412f37fb687f");
  }

  @Test
  void requiresSubscribeUrlAndTokenOnAConfirmation() throws Exception {
    assertInvalid(without("sns-subscription-confirmation.json", "SubscribeURL"), "SubscribeURL");
    assertInvalid(without("sns-subscription-confirmation.json", "Token"), "Token");
  }

  @Test
  void readsAnUnsubscribeConfirmation() throws Exception {
    ObjectNode node =
        (ObjectNode) JSON.readTree(Fixtures.bytes("sns-subscription-confirmation.json"));
    node.put("Type", "UnsubscribeConfirmation");

    assertThat(SnsMessage.parse(JSON.writeValueAsBytes(node)).type())
        .isEqualTo(SnsMessage.Type.UNSUBSCRIBE_CONFIRMATION);
  }

  @Test
  void rejectsBodiesThatAreNotSns() throws Exception {
    assertInvalid("not json".getBytes(UTF_8), "body");
    assertInvalid("[]".getBytes(UTF_8), "body");
    assertInvalid("{\"event\": \"delivered\"}".getBytes(UTF_8), "Type");
    assertInvalid(Fixtures.bytes("sendgrid-batch.json"), "body");
  }

  @Test
  void namesTheMissingOrWrongField() throws Exception {
    assertInvalid(without("sns-ses-delivery.json", "MessageId"), "MessageId");
    assertInvalid(without("sns-ses-delivery.json", "Message"), "Message");
    assertInvalid(without("sns-ses-delivery.json", "TopicArn"), "TopicArn");
    assertInvalid(without("sns-ses-delivery.json", "Signature"), "Signature");
    assertInvalid(with("sns-ses-delivery.json", "Type", "Publish"), "Type");
    assertInvalid(with("sns-ses-delivery.json", "Timestamp", "yesterday"), "Timestamp");
  }

  private static byte[] without(String fixture, String field) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(Fixtures.bytes(fixture));
    node.remove(field);
    return JSON.writeValueAsBytes(node);
  }

  private static byte[] with(String fixture, String field, String value) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(Fixtures.bytes(fixture));
    node.put(field, value);
    return JSON.writeValueAsBytes(node);
  }

  private static void assertInvalid(byte[] body, String field) {
    InvalidInput.assertRefused(() -> SnsMessage.parse(body), field);
  }
}
