package dev.bulwark.metrics.email.webhook;

import static dev.bulwark.metrics.email.webhook.SnsSigner.fixture;
import static dev.bulwark.metrics.email.webhook.SnsSigner.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SnsSignatureTests {

  private static SnsSigner sns;

  @BeforeAll
  static void generateKeys() {
    sns = SnsSigner.generate();
  }

  @ParameterizedTest
  @CsvSource({
    "sns-ses-delivery.json, 1",
    "sns-ses-delivery.json, 2",
    "sns-ses-complaint.json, 1",
    "sns-ses-complaint.json, 2",
    "sns-subscription-confirmation.json, 1",
    "sns-subscription-confirmation.json, 2"
  })
  void acceptsWhatSnsSigned(String fixture, String version) {
    SnsMessage message = parse(sns.sign(fixture(fixture), version));

    assertThat(SnsSignature.verify(message, sns.certificate)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws-sns-notification-v1.json",
        "aws-sns-notification-v2.json",
        "aws-sns-subscription-confirmation-v1.json",
        "aws-sns-unsubscribe-confirmation-v2.json"
      })
  void acceptsMessagesAwsSignedWithAwsCertificate(String fixture) {
    assertThat(SnsSignature.verify(parse(fixture(fixture)), awsCertificate())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws-sns-notification-v1.json",
        "aws-sns-notification-v2.json",
        "aws-sns-subscription-confirmation-v1.json",
        "aws-sns-unsubscribe-confirmation-v2.json"
      })
  void rejectsAnAwsSignedMessageWithOneCharacterChanged(String fixture) {
    ObjectNode message = fixture(fixture);
    String text = message.get("Message").textValue();
    message.put("Message", text.substring(0, text.length() - 1) + "!");

    assertThat(SnsSignature.verify(parse(message), awsCertificate())).isFalse();
  }

  @Test
  void rejectsAnAwsSignedMessageAgainstAnotherCertificate() {
    assertThat(SnsSignature.verify(parse(fixture("aws-sns-notification-v2.json")), sns.certificate))
        .isFalse();
  }

  @Test
  void signsTheFieldsOfANotificationInAwsOrder() {
    SnsMessage complaint = parse(fixture("sns-ses-complaint.json"));

    assertThat(SnsSignature.stringToSign(complaint))
        .startsWith("Message\n" + complaint.message() + "\nMessageId\n" + complaint.messageId())
        .contains("\nSubject\n" + complaint.subject() + "\nTimestamp\n")
        .endsWith("\nTopicArn\n" + complaint.topicArn() + "\nType\nNotification\n");
    assertThat(SnsSignature.stringToSign(parse(fixture("sns-ses-delivery.json"))))
        .doesNotContain("Subject")
        .doesNotContain("UnsubscribeURL");
  }

  @Test
  void signsTheFieldsOfAConfirmationInAwsOrderWithTheTimestampAsSent() {
    SnsMessage confirmation = parse(fixture("sns-subscription-confirmation.json"));

    assertThat(SnsSignature.stringToSign(confirmation))
        .isEqualTo(
            "Message\n"
                + confirmation.message()
                + "\nMessageId\n"
                + confirmation.messageId()
                + "\nSubscribeURL\n"
                + confirmation.subscribeUrl()
                + "\nTimestamp\n2025-04-24T09:00:00.000Z\nToken\n"
                + confirmation.token()
                + "\nTopicArn\n"
                + confirmation.topicArn()
                + "\nType\nSubscriptionConfirmation\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "2"})
  void rejectsAChangedMessage(String version) {
    ObjectNode message = sns.sign(fixture("sns-ses-delivery.json"), version);
    message.put("Message", message.get("Message").textValue().replace("happy@", "other@"));

    assertThat(SnsSignature.verify(parse(message), sns.certificate)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "2"})
  void rejectsAChangedTopic(String version) {
    ObjectNode message = sns.sign(fixture("sns-ses-delivery.json"), version);
    message.put("TopicArn", "arn:aws:sns:us-east-1:210987654321:bulwark-ses-events");

    assertThat(SnsSignature.verify(parse(message), sns.certificate)).isFalse();
  }

  @Test
  void rejectsAnAddedSubject() {
    ObjectNode message = sns.sign(fixture("sns-ses-delivery.json"), "2");
    message.put("Subject", "added");

    assertThat(SnsSignature.verify(parse(message), sns.certificate)).isFalse();
  }

  @Test
  void rejectsAnotherKeysCertificate() {
    SnsMessage message = parse(sns.sign(fixture("sns-ses-delivery.json"), "2"));

    assertThat(SnsSignature.verify(message, SnsSigner.generate().certificate)).isFalse();
  }

  @Test
  void rejectsASignatureThatIsNotBase64() {
    ObjectNode message = sns.sign(fixture("sns-ses-delivery.json"), "2");
    message.put("Signature", "not base64 at all!");

    assertThat(SnsSignature.verify(parse(message), sns.certificate)).isFalse();
  }

  @Test
  void rejectsTheFixturesPlaceholderSignature() {
    assertThat(SnsSignature.verify(parse(fixture("sns-ses-delivery.json")), sns.certificate))
        .isFalse();
  }

  private static X509Certificate awsCertificate() {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(
                      Fixtures.bytes("aws-sns-signing-cert-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem")));
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"3", "0", "SHA256"})
  void rejectsAnUnknownSignatureVersion(String version) {
    ObjectNode message = sns.sign(fixture("sns-ses-delivery.json"), "2");
    message.put("SignatureVersion", version);

    assertThat(SnsSignature.verify(parse(message), sns.certificate)).isFalse();
  }
}
