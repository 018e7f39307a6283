package dev.bulwark.metrics.api;

import dev.bulwark.metrics.email.webhook.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook fixtures moved in time, so that their events fall in the metrics' windows: the
 * fixtures all happen on 2025-04-24; here they happen two days ago (inside 7d, outside 24h).
 */
final class Payloads {

  private static final String FIXTURE_DAY = "2025-04-24";
  private static final long FIXTURE_MIDNIGHT = 1745452800L; // 2025-04-24T00:00:00Z
  private static final Pattern SENDGRID_TIMESTAMP = Pattern.compile("\"timestamp\": (\\d+)");

  private Payloads() {}

  static LocalDate twoDaysAgo() {
    return LocalDate.now(ZoneOffset.UTC).minusDays(2);
  }

  static byte[] sendGrid() {
    long shift = twoDaysAgo().atStartOfDay(ZoneOffset.UTC).toEpochSecond() - FIXTURE_MIDNIGHT;
    String body = new String(Fixtures.bytes("sendgrid-batch.json"), StandardCharsets.UTF_8);
    Matcher m = SENDGRID_TIMESTAMP.matcher(body);
    StringBuilder moved = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(moved, "\"timestamp\": " + (Long.parseLong(m.group(1)) + shift));
    }
    m.appendTail(moved);
    return moved.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String ses(String name) {
    return new String(Fixtures.bytes(name), StandardCharsets.UTF_8)
        .replace(FIXTURE_DAY, twoDaysAgo().toString());
  }

  static String sendGridTimestamp() {
    return Long.toString(Instant.now().getEpochSecond());
  }
}
