package dev.bulwark.budget.store;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.budgets.BudgetQuery;
import dev.bulwark.budget.budgets.BudgetState;
import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.budgets.PeriodKind;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The budget listing over 20,000 budgets written straight into the database: cursor chains return
 * every match exactly once in order, and the page statements are planned on the listing's index.
 */
@QuarkusTest
class BudgetListingAtScaleTests {

  private static final int BUDGETS = 20_000;
  private static final int ARCHIVED = 100;

  @InjectPostgres PostgresCluster postgres;

  private final MutableClock clock = MutableClock.todayAtNoon();
  private final String prefix = uniqueCategory();
  private final List<Listed> budgets = new ArrayList<>();

  /** One budget as written, and what the listing should know of it. */
  private record Listed(
      UUID id, String name, String team, Mode mode, boolean archived, BudgetState state) {}

  private static final Comparator<Listed> LISTING_ORDER =
      Comparator.comparing(Listed::name).thenComparing(b -> b.id().toString());

  @BeforeEach
  void writeTheBudgets() throws SQLException {
    QuarkusMock.installMockForType(clock, Clock.class);
    for (int i = 0; i < BUDGETS; i++) {
      // 7919 is prime to 20,000: the names are a permutation of 00000..19999, unlike the ids.
      String name = prefix + "-" + String.format("%05d", (i * 7919) % BUDGETS);
      BudgetState state =
          switch (i % 10) {
            case 0 -> BudgetState.AT_LIMIT;
            case 1 -> BudgetState.SOFT_LIMIT_CROSSED;
            default -> BudgetState.UNDER;
          };
      budgets.add(
          new Listed(
              UUID.randomUUID(),
              name,
              "t" + (i % 50),
              i % 3 == 0 ? Mode.OBSERVE : Mode.ENFORCE,
              false,
              state));
    }
    // Archived budgets keep their names, so with them the id breaks ties.
    for (int j = 0; j < ARCHIVED; j++) {
      Listed live = budgets.get(j * 200);
      budgets.add(
          new Listed(UUID.randomUUID(), live.name(), live.team(), live.mode(), true, live.state()));
    }
    try (Connection db = postgres.primary().connect("postgres")) {
      insert(db);
    }
  }

  @AfterEach
  void removeTheBudgets() {
    postgres
        .primary()
        .execute(
            "DELETE FROM budget.budget_period WHERE budget_id IN (SELECT id FROM budget.budget"
                + " WHERE name LIKE '"
                + prefix
                + "-%');"
                + " DELETE FROM budget.budget WHERE name LIKE '"
                + prefix
                + "-%'");
  }

  @Test
  void cursorChainsReturnEveryMatchExactlyOnceInOrder() {
    assertThat(walk(Map.of("namePrefix", prefix), 500))
        .as("all live budgets, 40 full pages")
        .containsExactlyElementsOf(expected(b -> !b.archived()));
    assertThat(walk(Map.of("namePrefix", prefix, "includeArchived", "true"), 333))
        .as("with the archived ones, whose names repeat live ones")
        .containsExactlyElementsOf(expected(b -> true));
    assertThat(
            walk(
                Map.of(
                    "namePrefix", prefix,
                    "scopeKey", "team",
                    "scopeValue", "t7",
                    "mode", "enforce",
                    "state", "over-soft"),
                7))
        .containsExactlyElementsOf(
            expected(
                b ->
                    !b.archived()
                        && b.team().equals("t7")
                        && b.mode() == Mode.ENFORCE
                        && b.state() != BudgetState.UNDER));
    assertThat(walk(Map.of("namePrefix", prefix + "-1", "state", "at-limit"), 100))
        .containsExactlyElementsOf(
            expected(
                b ->
                    !b.archived()
                        && b.name().startsWith(prefix + "-1")
                        && b.state() == BudgetState.AT_LIMIT));
  }

  @Test
  void pagesArePlannedOnTheNameIndexWithoutASort() throws SQLException {
    Instant now = clock.instant();
    BudgetQuery first = query(null, null);
    BudgetQuery byPrefix = query(prefix + "-12", null);
    Listed after = budgets.get(5);
    Budget last =
        new Budget(
            after.id(),
            after.name(),
            Map.of(),
            PeriodKind.DAILY,
            ZoneOffset.UTC,
            BigDecimal.TEN,
            new BigDecimal("0.8"),
            after.mode(),
            false,
            null,
            null,
            null);
    BudgetQuery next = query(prefix + "-1", query(prefix + "-1", null).cursorAfter(last).encode());
    for (BudgetQuery query : List.of(first, byPrefix, next)) {
      for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
        String plan = plan(BudgetListStore.statement(query, now), mode);
        assertThat(plan)
            .as(mode + " of " + query)
            .contains("Index Scan using budget_name_c_id on budget b")
            .doesNotContain("Sort")
            .doesNotContain("Seq Scan on budget b");
      }
    }
  }

  private BudgetQuery query(String namePrefix, String cursor) {
    return BudgetQuery.parse(null, namePrefix, null, null, null, null, null, null, null, cursor);
  }

  /** Every page of the listing under {@code filters}, following nextCursor to the end. */
  private List<UUID> walk(Map<String, String> filters, int limit) {
    List<UUID> seen = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> params = new HashMap<>(filters);
      params.put("limit", limit);
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      Response page = as("viewer").queryParams(params).get("/api/v1/budgets");
      page.then().statusCode(200);
      List<String> ids = page.path("budgets.id");
      assertThat(ids.size()).isLessThanOrEqualTo(limit);
      ids.forEach(id -> seen.add(UUID.fromString(id)));
      cursor = page.path("nextCursor");
    } while (cursor != null);
    return seen;
  }

  private List<UUID> expected(Predicate<Listed> filter) {
    return budgets.stream().filter(filter).sorted(LISTING_ORDER).map(Listed::id).toList();
  }

  private void insert(Connection db) throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            """
            INSERT INTO budget.budget (id, name, scope, period, limit_usd, mode, created_at,
                                       updated_at, archived_at)
            SELECT id, name, scope::jsonb, 'daily', 10, mode, now(), now(),
                   CASE WHEN archived THEN now() END
              FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::boolean[])
                   AS t(id, name, scope, mode, archived)""")) {
      insert.setArray(1, db.createArrayOf("uuid", budgets.stream().map(Listed::id).toArray()));
      insert.setArray(2, db.createArrayOf("text", budgets.stream().map(Listed::name).toArray()));
      insert.setArray(
          3,
          db.createArrayOf(
              "text",
              budgets.stream()
                  .map(b -> "{\"category\": \"" + prefix + "\", \"team\": \"" + b.team() + "\"}")
                  .toArray()));
      insert.setArray(
          4, db.createArrayOf("text", budgets.stream().map(b -> b.mode().wire()).toArray()));
      insert.setArray(
          5, db.createArrayOf("boolean", budgets.stream().map(Listed::archived).toArray()));
      insert.executeUpdate();
    }
    // The counters of today's period (the daily budgets' current one at the pinned clock).
    List<Listed> touched =
        budgets.stream().filter(b -> !b.archived() && b.state() != BudgetState.UNDER).toList();
    try (PreparedStatement periods =
        db.prepareStatement(
            """
            INSERT INTO budget.budget_period (budget_id, period_start, held_usd)
            SELECT id, ?, held FROM unnest(?::uuid[], ?::numeric[]) AS t(id, held)""")) {
      periods.setObject(
          1,
          OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.DAYS), ZoneOffset.UTC));
      periods.setArray(2, db.createArrayOf("uuid", touched.stream().map(Listed::id).toArray()));
      periods.setArray(
          3,
          db.createArrayOf(
              "numeric",
              touched.stream()
                  .map(
                      b ->
                          b.state() == BudgetState.AT_LIMIT
                              ? new BigDecimal("10")
                              : new BigDecimal("8.5"))
                  .toArray()));
      periods.executeUpdate();
    }
    try (Statement analyze = db.createStatement()) {
      analyze.execute("ANALYZE budget.budget; ANALYZE budget.budget_period");
    }
  }

  /** The plan of {@code statement} as a prepared statement under {@code planCacheMode}. */
  private String plan(BudgetListStore.Statement statement, String planCacheMode)
      throws SQLException {
    List<String> literals = new ArrayList<>();
    for (Object param : statement.params()) {
      literals.add(
          param instanceof Number
              ? param.toString()
              : "'" + param.toString().replace("'", "''") + "'");
    }
    try (Connection db = postgres.primary().connect("postgres");
        Statement sql = db.createStatement()) {
      sql.execute("SET plan_cache_mode = " + planCacheMode);
      sql.execute("PREPARE listing AS " + statement.sql());
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows =
          sql.executeQuery("EXPLAIN EXECUTE listing(" + String.join(", ", literals) + ")")) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
