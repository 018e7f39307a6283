package dev.bulwark.metrics.email.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.metrics.email.BounceType;
import dev.bulwark.metrics.email.EmailEvent;
import dev.bulwark.metrics.email.EmailEventType;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SesNotificationsTests {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void countsEachRecipientOfAPermanentBounceAsOneHardBounce() {
    ParsedEvents parsed = parseFixture("sns-ses-bounce.json");

    assertThat(parsed.ignored()).isZero();
    assertThat(parsed.events())
        .containsExactly(
            bounce("5a1f3c2e-7d4b-5e6f-8a9b-0c1d2e3f4a5b:0"),
            bounce("5a1f3c2e-7d4b-5e6f-8a9b-0c1d2e3f4a5b:1"));
  }

  @Test
  void readsAComplaintNotificationWithoutTagsAsNoCampaign() {
    ParsedEvents parsed = parseFixture("sns-ses-complaint.json");

    assertThat(parsed.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(EmailEventType.COMPLAINED);
              assertThat(e.bounceType()).isNull();
              assertThat(e.campaign()).isEqualTo(EmailEvent.NO_CAMPAIGN);
              assertThat(e.providerEventId()).isEqualTo("6b2a4d3f-8e5c-4f70-9b0a-1d2e3f4a5b6c:0");
              assertThat(e.occurredAt()).isEqualTo(Instant.parse("2025-04-24T11:30:00Z"));
            });
  }

  @Test
  void readsADeliveryNotification() {
    ParsedEvents parsed = parseFixture("sns-ses-delivery.json");

    assertThat(parsed.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.provider()).isEqualTo("ses");
              assertThat(e.type()).isEqualTo(EmailEventType.DELIVERED);
              assertThat(e.messageId())
                  .isEqualTo("0100019668c0f3a4-cc33dd44-ee55-4f66-a077-112233445566-000000");
              assertThat(e.occurredAt()).isEqualTo(Instant.parse("2025-04-24T10:05:02.871Z"));
            });
  }

  @Test
  void readsADeliveryDelayEventAsDeferred() {
    ParsedEvents parsed = parseFixture("sns-ses-delivery-delay.json");

    assertThat(parsed.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(EmailEventType.DEFERRED);
              assertThat(e.campaign()).isEqualTo("spring-launch");
              assertThat(e.occurredAt()).isEqualTo(Instant.parse("2025-04-24T10:20:00Z"));
            });
  }

  @Test
  void ignoresEventKindsItDoesNotCount() throws Exception {
    assertThat(parseFixture("sns-ses-open.json")).isEqualTo(new ParsedEvents(List.of(), 1));
    for (String kind :
        new String[] {"Send", "Click", "Reject", "Rendering Failure", "Subscription"}) {
      ParsedEvents parsed =
          SesNotifications.parse("id", "{\"eventType\": \"" + kind + "\", \"mail\": {}}");
      assertThat(parsed.events()).as(kind).isEmpty();
      assertThat(parsed.ignored()).as(kind).isEqualTo(1);
    }
  }

  @Test
  void givesAnSnsRetryTheSameEventIds() {
    byte[] body = Fixtures.bytes("sns-ses-bounce.json");

    assertThat(SesNotifications.parse(SnsMessage.parse(body)))
        .isEqualTo(SesNotifications.parse(SnsMessage.parse(body)));
  }

  @Test
  void mapsTransientAndUndeterminedBouncesToSoft() throws Exception {
    for (String sesType : new String[] {"Transient", "Undetermined"}) {
      String message =
          message(
              "sns-ses-bounce.json",
              m -> ((ObjectNode) m.get("bounce")).put("bounceType", sesType));

      assertThat(SesNotifications.parse("id", message).events())
          .extracting(EmailEvent::bounceType)
          .as(sesType)
          .containsOnly(BounceType.SOFT);
    }
  }

  @Test
  void rejectsAMessageThatIsNotJson() {
    assertInvalid("not json", "Message");
    assertInvalid("", "Message");
    assertInvalid("[1]", "Message");
  }

  @Test
  void rejectsAMessageWithoutAType() throws Exception {
    assertInvalid(
        message("sns-ses-bounce.json", m -> m.remove("eventType")), "Message.notificationType");
  }

  @Test
  void namesTheMissingTimestampOrRecipients() throws Exception {
    assertInvalid(
        message(
            "sns-ses-bounce.json", m -> ((ObjectNode) m.get("bounce")).remove("bouncedRecipients")),
        "Message.bounce.bouncedRecipients");
    assertInvalid(
        message(
            "sns-ses-bounce.json",
            m -> ((ObjectNode) m.get("bounce")).putArray("bouncedRecipients")),
        "Message.bounce.bouncedRecipients");
    assertInvalid(
        message("sns-ses-bounce.json", m -> ((ObjectNode) m.get("bounce")).remove("timestamp")),
        "Message.bounce.timestamp");
    assertInvalid(
        message("sns-ses-bounce.json", m -> ((ObjectNode) m.get("bounce")).remove("bounceType")),
        "Message.bounce.bounceType");
    assertInvalid(
        message(
            "sns-ses-complaint.json",
            m -> ((ObjectNode) m.get("complaint")).remove("complainedRecipients")),
        "Message.complaint.complainedRecipients");
    assertInvalid(
        message(
            "sns-ses-delivery.json",
            m -> ((ObjectNode) m.get("delivery")).put("timestamp", "soon")),
        "Message.delivery.timestamp");
    assertInvalid(
        message("sns-ses-delivery-delay.json", m -> m.remove("deliveryDelay")),
        "Message.deliveryDelay");
    assertInvalid(
        message("sns-ses-delivery.json", m -> ((ObjectNode) m.get("mail")).remove("messageId")),
        "Message.mail.messageId");
  }

  @Test
  void refusesASubscriptionConfirmation() {
    SnsMessage confirmation =
        SnsMessage.parse(Fixtures.bytes("sns-subscription-confirmation.json"));

    assertThatThrownBy(() -> SesNotifications.parse(confirmation))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static EmailEvent bounce(String providerEventId) {
    return new EmailEvent(
        "ses",
        providerEventId,
        "0100019668c0f1e2-aa11bb22-cc33-4d44-ee55-ff6677889900-000000",
        EmailEventType.BOUNCED,
        BounceType.HARD,
        "spring-launch",
        Instant.parse("2025-04-24T10:05:00.512Z"));
  }

  private static ParsedEvents parseFixture(String name) {
    return SesNotifications.parse(SnsMessage.parse(Fixtures.bytes(name)));
  }

  /** The fixture's SES message, changed by {@code edit}. */
  private static String message(String fixture, Consumer<ObjectNode> edit) throws Exception {
    SnsMessage sns = SnsMessage.parse(Fixtures.bytes(fixture));
    ObjectNode message = (ObjectNode) JSON.readTree(sns.message());
    edit.accept(message);
    return JSON.writeValueAsString(message);
  }

  private static void assertInvalid(String message, String field) {
    InvalidInput.assertRefused(() -> SesNotifications.parse("sns-id", message), field);
  }
}
