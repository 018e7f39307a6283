package dev.bulwark.budget.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate computes periods in the database (budget.period_start and period_end, in
 * R__gate_batch.sql); the API reads them with {@link PeriodKind}. Both must name the same period
 * row.
 */
@QuarkusTest
class PeriodKindInDatabaseTests {

  @InjectPostgres PostgresCluster postgres;

  @Test
  void databaseAndServiceAgreeOnPeriodBoundaries() throws Exception {
    List<String> zones =
        List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe");
    List<Instant> instants =
        List.of(
            Instant.parse("2026-11-23T22:30:00Z"),
            Instant.parse("2026-03-29T00:30:00Z"), // the night Berlin moves its clocks forward
            Instant.parse("2026-11-01T05:30:00Z"), // the night New York moves its clocks back
            Instant.parse("2026-12-31T23:59:59.999999Z"),
            Instant.parse("2027-02-28T13:45:00Z"));
    try (Connection c = postgres.primary().connect("postgres");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT budget.period_start(?, ?, ?) AS s,"
                    + " budget.period_end(?, ?, budget.period_start(?, ?, ?)) AS e")) {
      for (PeriodKind kind : PeriodKind.values()) {
        for (String zone : zones) {
          for (Instant at : instants) {
            OffsetDateTime utc = at.atOffset(ZoneOffset.UTC);
            for (int offset : new int[] {0, 3}) {
              s.setString(offset + 1, kind.wire());
              s.setString(offset + 2, zone);
            }
            s.setObject(3, utc);
            s.setString(6, kind.wire());
            s.setString(7, zone);
            s.setObject(8, utc);
            try (ResultSet row = s.executeQuery()) {
              row.next();
              Instant start = kind.startOf(at, ZoneId.of(zone));
              Instant end = kind.endOf(start, ZoneId.of(zone));
              String what = kind + " " + zone + " " + at;
              assertThat(row.getObject("s", OffsetDateTime.class).toInstant())
                  .as(what)
                  .isEqualTo(start);
              OffsetDateTime dbEnd = row.getObject("e", OffsetDateTime.class);
              assertThat(dbEnd == null ? null : dbEnd.toInstant()).as(what).isEqualTo(end);
            }
          }
        }
      }
    }
  }
}
