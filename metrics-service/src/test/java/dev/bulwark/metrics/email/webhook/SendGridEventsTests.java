package dev.bulwark.metrics.email.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.bulwark.metrics.email.BounceType;
import dev.bulwark.metrics.email.EmailEvent;
import dev.bulwark.metrics.email.EmailEventType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SendGridEventsTests {

  @Test
  void mapsTheCountedEventsOfABatchAndCountsTheRestAsIgnored() {
    ParsedEvents parsed = SendGridEvents.parse(Fixtures.bytes("sendgrid-batch.json"));

    assertThat(parsed.ignored()).isEqualTo(2);
    assertThat(parsed.events())
        .extracting(EmailEvent::type, EmailEvent::bounceType, EmailEvent::campaign)
        .containsExactly(
            tuple(EmailEventType.DELIVERED, null, "spring-launch"),
            tuple(EmailEventType.DELIVERED, null, "spring-launch"),
            tuple(EmailEventType.BOUNCED, BounceType.HARD, "spring-launch"),
            tuple(EmailEventType.BOUNCED, BounceType.SOFT, "spring-launch"),
            tuple(EmailEventType.DEFERRED, null, "spring-launch"),
            tuple(EmailEventType.COMPLAINED, null, EmailEvent.NO_CAMPAIGN));
    assertThat(parsed.events()).allSatisfy(e -> assertThat(e.provider()).isEqualTo("sendgrid"));
  }

  @Test
  void takesIdsAndTimeFromTheSendGridFields() {
    EmailEvent delivered =
        SendGridEvents.parse(Fixtures.bytes("sendgrid-batch.json")).events().get(0);

    assertThat(delivered.providerEventId())
        .isEqualTo("ZGVsaXZlcmVkLTAtMTIzNDU2NzgtYW5hQGV4YW1wbGUuY29t");
    assertThat(delivered.messageId())
        .isEqualTo("14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0");
    assertThat(delivered.occurredAt()).isEqualTo(Instant.parse("2025-04-24T10:00:05Z"));
  }

  @Test
  void prefersTheCampaignCustomArgThenTheFirstCategory() {
    ParsedEvents parsed =
        parse(
            """
            [
              {"sg_event_id": "a", "event": "delivered", "timestamp": 1, "campaign": "arg",
               "category": ["first", "second"]},
              {"sg_event_id": "b", "event": "delivered", "timestamp": 1,
               "category": ["first", "second"]},
              {"sg_event_id": "c", "event": "delivered", "timestamp": 1, "category": "only"},
              {"sg_event_id": "d", "event": "delivered", "timestamp": 1, "category": []},
              {"sg_event_id": "e", "event": "delivered", "timestamp": 1, "campaign": " "}
            ]
            """);

    assertThat(parsed.events())
        .extracting(EmailEvent::campaign)
        .containsExactly("arg", "first", "only", EmailEvent.NO_CAMPAIGN, EmailEvent.NO_CAMPAIGN);
  }

  @Test
  void treatsABounceWithoutATypeAsHard() {
    ParsedEvents parsed =
        parse("[{\"sg_event_id\": \"a\", \"event\": \"bounce\", \"timestamp\": 1}]");

    assertThat(parsed.events()).extracting(EmailEvent::bounceType).containsExactly(BounceType.HARD);
  }

  @Test
  void allowsAMissingMessageId() {
    ParsedEvents parsed =
        parse("[{\"sg_event_id\": \"a\", \"event\": \"spamreport\", \"timestamp\": 1}]");

    assertThat(parsed.events()).extracting(EmailEvent::messageId).containsExactly((String) null);
  }

  @Test
  void ignoresEventKindsItDoesNotCountIncludingUnknownOnes() {
    ParsedEvents parsed =
        parse(
            """
            [
              {"sg_event_id": "a", "event": "dropped", "timestamp": 1},
              {"sg_event_id": "b", "event": "click", "timestamp": 1},
              {"sg_event_id": "c", "event": "group_unsubscribe", "timestamp": 1},
              {"sg_event_id": "d", "event": "something_new", "timestamp": 1}
            ]
            """);

    assertThat(parsed.events()).isEmpty();
    assertThat(parsed.ignored()).isEqualTo(4);
  }

  @Test
  void acceptsAnEmptyBatch() {
    ParsedEvents parsed = parse("[]");

    assertThat(parsed.events()).isEmpty();
    assertThat(parsed.ignored()).isZero();
  }

  @Test
  void rejectsABodyThatIsNotJson() {
    assertInvalid("[{\"sg_event_id\": ", "body");
    assertInvalid("", "body");
  }

  @Test
  void rejectsABodyThatIsNotAnArray() {
    assertInvalid("{\"sg_event_id\": \"a\", \"event\": \"delivered\", \"timestamp\": 1}", "body");
  }

  @Test
  void namesTheElementAndFieldThatIsMissing() {
    String ok = "{\"sg_event_id\": \"a\", \"event\": \"delivered\", \"timestamp\": 1}";
    assertInvalid(
        "[" + ok + "," + ok + "," + ok + ",{\"event\": \"delivered\", \"timestamp\": 1}]",
        "[3].sg_event_id");
    assertInvalid("[{\"sg_event_id\": \"a\", \"timestamp\": 1}]", "[0].event");
    assertInvalid("[{\"sg_event_id\": \"a\", \"event\": \"open\"}]", "[0].timestamp");
    assertInvalid("[42]", "[0]");
  }

  @Test
  void namesTheFieldThatHasTheWrongType() {
    assertInvalid(
        "[{\"sg_event_id\": \"a\", \"event\": \"delivered\", \"timestamp\": \"1745488805\"}]",
        "[0].timestamp");
    assertInvalid(
        "[{\"sg_event_id\": \"a\", \"event\": \"delivered\", \"timestamp\": 1.5}]",
        "[0].timestamp");
    assertInvalid(
        "[{\"sg_event_id\": 7, \"event\": \"delivered\", \"timestamp\": 1}]", "[0].sg_event_id");
    assertInvalid(
        "[{\"sg_event_id\": \"a\", \"event\": \"delivered\", \"timestamp\": 1, \"category\": 3}]",
        "[0].category");
    assertInvalid(
        "[{\"sg_event_id\": \"a\", \"event\": \"delivered\", \"timestamp\": 1, \"category\": [3]}]",
        "[0].category[0]");
    assertInvalid(
        "[{\"sg_event_id\": \"a\", \"event\": \"bounce\", \"timestamp\": 1, \"type\": true}]",
        "[0].type");
  }

  private static ParsedEvents parse(String json) {
    return SendGridEvents.parse(json.getBytes(UTF_8));
  }

  private static void assertInvalid(String json, String field) {
    InvalidInput.assertRefused(() -> parse(json), field);
  }
}
