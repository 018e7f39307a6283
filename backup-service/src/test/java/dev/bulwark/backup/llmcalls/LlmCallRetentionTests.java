package dev.bulwark.backup.llmcalls;

import static dev.bulwark.backup.llmcalls.LlmCalls.call;
import static dev.bulwark.backup.llmcalls.LlmCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Month partitions made ahead and expired after the retention, legal holds excepted; gauges. */
@QuarkusTest
class LlmCallRetentionTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Inject LlmCallMaintenance maintenance;

  // A month no other test writes to: expiring it touches only this test's calls.
  private final MutableClock clock = MutableClock.at(Instant.parse("2024-03-15T12:00:00Z"));

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void retentionDropsOldMonthsAndKeepsHeldLeads() {
    String held = "held-" + UUID.randomUUID();
    String free = "free-" + UUID.randomUUID();
    Instant march10 = Instant.parse("2024-03-10T08:00:00Z");
    List<Map<String, Object>> calls = new ArrayList<>();
    calls.add(call(march10, held));
    calls.add(call(march10.plusSeconds(1), held));
    calls.add(call(march10.plusSeconds(2), free));
    calls.add(call(march10.plusSeconds(3), free));
    calls.get(3).remove("leadId");
    post(calls).statusCode(200);
    postgres
        .primary()
        .execute("INSERT INTO backup.legal_holds VALUES ('" + held + "', 'litigation', now())");
    double deletedBefore = counter("bulwark_archive_retention_deleted_total");

    // 400 days after 2025-06-01 is 2024-04-27: March 2024 is wholly past the retention.
    clock.set(Instant.parse("2025-06-01T00:00:00Z"));
    List<Expiry> first = maintenance.maintain().await().atMost(Duration.ofSeconds(30));

    assertThat(first)
        .extracting(e -> e.partition().table(), Expiry::deleted, Expiry::held, Expiry::dropped)
        .contains(org.assertj.core.groups.Tuple.tuple("llm_calls_2024_03", 2L, 2L, false));
    assertThat(count("backup.llm_calls_2024_03", "lead_id = '" + held + "'")).isEqualTo("2");
    assertThat(count("backup.llm_calls_2024_03", "lead_id IS DISTINCT FROM '" + held + "'"))
        .isEqualTo("0");
    assertThat(count("backup.llm_call_id", "started_at < '2024-04-01'")).isEqualTo("2");
    assertThat(counter("bulwark_archive_retention_deleted_total") - deletedBefore).isEqualTo(2.0);
    // Partitions are made ahead: this month and the two after it.
    assertThat(regclass("backup.llm_calls_2025_08")).isEqualTo("backup.llm_calls_2025_08");

    postgres.primary().execute("DELETE FROM backup.legal_holds WHERE lead_id = '" + held + "'");
    List<Expiry> second = maintenance.maintain().await().atMost(Duration.ofSeconds(30));

    assertThat(second)
        .extracting(e -> e.partition().table(), Expiry::deleted, Expiry::dropped)
        .contains(org.assertj.core.groups.Tuple.tuple("llm_calls_2024_03", 2L, true));
    assertThat(regclass("backup.llm_calls_2024_03")).isNull();
    assertThat(count("backup.llm_call_id", "started_at < '2024-04-01'")).isEqualTo("0");
    assertThat(count("backup.llm_call_month", "month = '2024-03-01Z'")).isEqualTo("0");
    assertThat(counter("bulwark_archive_retention_deleted_total") - deletedBefore).isEqualTo(4.0);
  }

  @Test
  void gaugesShowRowsAndBytesAsTheDatabaseHoldsThem() {
    List<Map<String, Object>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> call = call(clock.instant().minusSeconds(60 - i), "lead-gauges");
      call.put("prompt", "Which of these pages is the contact page? ".repeat(200));
      calls.add(call);
    }
    post(calls).statusCode(200);

    Scrapes.awaitAsserted(
        metrics,
        "archive gauges match the database",
        scrape -> {
          double rows = Double.parseDouble(count("backup.llm_calls", "true"));
          double raw =
              Double.parseDouble(
                  postgres.primary().queryValue("SELECT sum(raw_bytes) FROM backup.llm_calls"));
          double partitions =
              Double.parseDouble(
                  postgres
                      .primary()
                      .queryValue(
                          "SELECT count(*) FROM pg_inherits"
                              + " WHERE inhparent = 'backup.llm_calls'::regclass"));
          assertThat(scrape.value("bulwark_archive_rows", "kind", "llm-calls")).hasValue(rows);
          assertThat(
                  scrape.value("bulwark_archive_stored_bytes", "kind", "llm-calls", "form", "raw"))
              .hasValue(raw);
          assertThat(
                  scrape
                      .value(
                          "bulwark_archive_stored_bytes", "kind", "llm-calls", "form", "compressed")
                      .orElseThrow())
              .isPositive();
          assertThat(scrape.value("bulwark_archive_partitions", "kind", "llm-calls"))
              .hasValue(partitions);
          assertThat(scrape.value("bulwark_archive_llm_calls_gauges_up")).hasValue(1.0);
        });
  }

  private String count(String table, String where) {
    return postgres.primary().queryValue("SELECT count(*) FROM " + table + " WHERE " + where);
  }

  private String regclass(String name) {
    return postgres.primary().queryValue("SELECT to_regclass('" + name + "')::text");
  }

  private double counter(String name) {
    return Scrapes.value(metrics, name, "kind", "llm-calls");
  }
}
