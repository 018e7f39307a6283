package dev.bulwark.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's functions moved from V3 into the repeatable {@code R__gate_batch.sql}: a fresh
 * database and one that the old code migrated to V3 must both end with the same working gate.
 */
class GateMigrationTests {

  /** The migrations the code before the move shipped. */
  private static final List<String> OLD =
      List.of(
          "V1__budgets_reservations_ledger.sql", "V2__gate_assertions.sql", "V3__gate_batch.sql");

  private static final String GATE_FUNCTIONS =
      "SELECT %s FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
          + " WHERE n.nspname = 'budget' AND p.proname IN"
          + " ('gate_batch', 'period_start', 'period_end', 'iso_utc', 'require_all_inserted')";

  private static final String GATE_OID =
      "SELECT p.oid::bigint FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
          + " WHERE n.nspname = 'budget' AND p.proname = 'gate_batch'";

  private static final String BUDGET_ID = "6a0a5b9e-1a5e-4c5b-9d6a-000000000001";

  private static PostgresCluster cluster;

  @BeforeAll
  static void startPostgres() {
    cluster = PostgresCluster.start("migrations");
  }

  @AfterAll
  static void stopPostgres() {
    cluster.close();
  }

  @Test
  void aDatabaseMigratedByTheOldCodeKeepsItsGateAndLosesTheDeadFunction(@TempDir Path old)
      throws IOException {
    PostgresNode db = cluster.primary();
    db.createDatabase("upgraded");
    for (String file : OLD) {
      try (InputStream in = resource(file)) {
        Files.copy(in, old.resolve(file));
      }
    }
    flyway("upgraded", "filesystem:" + old).migrate();
    String gateOid = db.queryValue("upgraded", GATE_OID);
    db.execute("upgraded", insertBudget());
    assertThat(reserve("upgraded", "before-upgrade")).isEqualTo("decision");

    flyway("upgraded", "classpath:db/migration").migrate();

    assertThat(functionNames("upgraded")).isEqualTo("gate_batch,iso_utc,period_end,period_start");
    assertThat(db.queryValue("upgraded", GATE_OID))
        .as("replaced in place, not dropped and created")
        .isEqualTo(gateOid);
    assertThat(applied("upgraded")).isEqualTo("1,2,3,4,5,6,7,8,R gate batch");
    // A budget from before the exported flag keeps its gauges.
    assertThat(
            db.queryValue(
                "upgraded", "SELECT exported FROM budget.budget WHERE id = '" + BUDGET_ID + "'"))
        .isEqualTo("t");
    // The hold taken before the upgrade is still there, and the new gate replays its key.
    assertThat(reserve("upgraded", "before-upgrade")).isEqualTo("decision true");
    assertThat(
            db.queryValue(
                "upgraded",
                "SELECT held_usd FROM budget.budget_period WHERE budget_id = '" + BUDGET_ID + "'"))
        .isEqualTo("1.000000");
    db.createDatabase("fresh-beside-upgraded");
    flyway("fresh-beside-upgraded", "classpath:db/migration").migrate();
    assertThat(definitions("upgraded")).isEqualTo(definitions("fresh-beside-upgraded"));
  }

  @Test
  void aFreshDatabaseGetsTheSameGate() {
    PostgresNode db = cluster.primary();
    db.createDatabase("fresh");

    flyway("fresh", "classpath:db/migration").migrate();

    assertThat(functionNames("fresh")).isEqualTo("gate_batch,iso_utc,period_end,period_start");
    assertThat(applied("fresh")).isEqualTo("1,2,3,4,5,6,7,8,R gate batch");
    db.execute("fresh", insertBudget());
    assertThat(reserve("fresh", "first")).isEqualTo("decision");
    assertThat(reserve("fresh", "first")).isEqualTo("decision true");
  }

  @Test
  void budgetsCreatedBeforeTheScopeIndexAreFoundThroughIt() {
    PostgresNode db = cluster.primary();
    db.createDatabase("before-scope-pairs");
    flyway("before-scope-pairs", "classpath:db/migration", "4").migrate();
    db.execute(
        "before-scope-pairs",
        """
        INSERT INTO budget.budget (id, name, scope, period, limit_usd, mode, archived_at)
        VALUES (gen_random_uuid(), 'both', '{"category": "llm", "team": "leads"}', 'daily', 10, 'enforce', NULL),
               (gen_random_uuid(), 'everything', '{}', 'total', 10, 'enforce', NULL),
               (gen_random_uuid(), 'gpu', '{"category": "gpu"}', 'daily', 10, 'enforce', NULL),
               (gen_random_uuid(), 'archived', '{"category": "llm"}', 'daily', 10, 'enforce', now())""");

    flyway("before-scope-pairs", "classpath:db/migration").migrate();

    assertThat(
            db.queryValue(
                "before-scope-pairs",
                "SELECT string_agg(b.name || ':' || p.key || '=' || (p.value #>> '{}') || '/' || p.scope_size,"
                    + " ',' ORDER BY b.name, p.key)"
                    + " FROM budget.budget_scope_pair p JOIN budget.budget b ON b.id = p.budget_id"))
        .as("one pair per key of each live budget's scope, with the scope's size")
        .isEqualTo("both:category=llm/2,both:team=leads/2,gpu:category=gpu/1");
    assertThat(
            db.queryValue(
                "before-scope-pairs",
                """
                SELECT string_agg(b.item ->> 'name', ',' ORDER BY b.n)
                  FROM budget.gate_batch(now(), ARRAY['reserve'], ARRAY[gen_random_uuid()], ARRAY['k'],
                                         ARRAY['hash'], ARRAY['llm'], ARRAY['leads'], ARRAY['summarise'],
                                         ARRAY['{}'], ARRAY['{"category": "llm", "operation": "summarise", "team": "leads"}'],
                                         ARRAY[1]::numeric[], ARRAY[60000]::bigint[], ARRAY[]::uuid[], ARRAY[]::numeric[]) g,
                       jsonb_array_elements(g.body::jsonb -> 'budgets') WITH ORDINALITY AS b(item, n)"""))
        .as("the budgets the request matches, in name order")
        .isEqualTo("both,everything");
  }

  private static Flyway flyway(String database, String location, String target) {
    return Flyway.configure()
        .dataSource(cluster.primary().jdbcUrl(database), cluster.primary().user(), "")
        .schemas("budget")
        .defaultSchema("budget")
        .createSchemas(true)
        .locations(location)
        .target(target)
        .load();
  }

  private static Flyway flyway(String database, String location) {
    return Flyway.configure()
        .dataSource(cluster.primary().jdbcUrl(database), cluster.primary().user(), "")
        .schemas("budget")
        .defaultSchema("budget")
        .createSchemas(true)
        .locations(location)
        .load();
  }

  private static InputStream resource(String file) {
    InputStream in =
        GateMigrationTests.class.getClassLoader().getResourceAsStream("db/migration/" + file);
    assertThat(in).as(file).isNotNull();
    return in;
  }

  private static String functionNames(String database) {
    return cluster
        .primary()
        .queryValue(
            database, GATE_FUNCTIONS.formatted("string_agg(p.proname, ',' ORDER BY p.proname)"));
  }

  private static String definitions(String database) {
    return cluster
        .primary()
        .queryValue(
            database,
            GATE_FUNCTIONS.formatted(
                "md5(string_agg(pg_get_functiondef(p.oid), '' ORDER BY p.proname))"));
  }

  private static String applied(String database) {
    return cluster
        .primary()
        .queryValue(
            database,
            "SELECT string_agg(coalesce(version, 'R ' || description), ',' ORDER BY installed_rank)"
                + " FROM budget.flyway_schema_history WHERE success AND type = 'SQL'");
  }

  private static String insertBudget() {
    return "INSERT INTO budget.budget (id, name, scope, period, limit_usd, mode)"
        + " VALUES ('"
        + BUDGET_ID
        + "', 'migration', '{}', 'total', 10, 'enforce')";
  }

  /**
   * Reserves 1 USD with this key through gate_batch; answers its outcome (and "true" if a replay).
   */
  private static String reserve(String database, String key) {
    return cluster
        .primary()
        .queryValue(
            database,
            """
            SELECT outcome || CASE WHEN replayed THEN ' true' ELSE '' END
              FROM budget.gate_batch(now(), ARRAY['reserve'], ARRAY[gen_random_uuid()], ARRAY['%s'],
                                     ARRAY['hash'], ARRAY['c'], ARRAY[NULL]::text[], ARRAY[NULL]::text[],
                                     ARRAY['{}'], ARRAY['{}'], ARRAY[1]::numeric[], ARRAY[60000]::bigint[],
                                     ARRAY[]::uuid[], ARRAY[]::numeric[])"""
                .formatted(key));
  }
}
