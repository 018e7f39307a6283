package dev.bulwark.backup.store;

import dev.bulwark.backup.llmcalls.ArchiveTotals;
import dev.bulwark.backup.llmcalls.Expiry;
import dev.bulwark.backup.llmcalls.Partition;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL of the archive's month partitions: creating them, expiring them under legal holds, and the
 * totals the gauges show.
 */
@ApplicationScoped
public class LlmCallPartitionStore {

  /** The names {@code backup.llm_calls_partition} gives; nothing else is ever dropped. */
  private static final Pattern NAME = Pattern.compile("llm_calls_(\\d{4})_(\\d{2})");

  private final Pool pool;

  public LlmCallPartitionStore(Pool pool) {
    this.pool = pool;
  }

  /** Creates the partitions of these months (first instants) that are missing, one at a time. */
  public Uni<Void> ensure(Collection<Instant> months) {
    return Multi.createFrom()
        .iterable(months.stream().distinct().sorted().toList())
        .onItem()
        .transformToUniAndConcatenate(
            month ->
                pool.preparedQuery("SELECT backup.llm_calls_partition($1)")
                    .execute(Tuple.of(Timestamps.utc(month))))
        .collect()
        .last()
        .replaceWithVoid();
  }

  /** The month partitions, oldest first. */
  public Uni<List<Partition>> partitions() {
    return pool.query(
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'backup.llm_calls'::regclass ORDER BY c.relname
            """)
        .execute()
        .map(
            rows ->
                rows.stream()
                    .map(r -> partition(r.getString("relname")))
                    .flatMap(Optional::stream)
                    .toList());
  }

  /**
   * Expires a partition whose month is past retention, in one transaction: rows of leads under a
   * legal hold stay (with their ids); the others go, and the partition is dropped once it holds
   * none.
   */
  public Uni<Expiry> expire(Partition partition) {
    String table = "backup." + partition.table();
    return pool.withTransaction(
        conn ->
            deleteUnheld(conn, table)
                .flatMap(
                    counts -> {
                      long deleted = counts.getLong("deleted");
                      long held = counts.getLong("held");
                      OffsetDateTime month = Timestamps.utc(partition.month());
                      Uni<?> totals =
                          held == 0
                              ? conn.preparedQuery(
                                      "DELETE FROM backup.llm_call_month WHERE month = $1")
                                  .execute(Tuple.of(month))
                              : conn.preparedQuery(
                                      """
                                      UPDATE backup.llm_call_month
                                         SET rows = rows - $2, raw_bytes = raw_bytes - $3
                                       WHERE month = $1
                                      """)
                                  .execute(Tuple.of(month, deleted, counts.getLong("bytes")));
                      Uni<?> drop =
                          held == 0
                              ? conn.query("DROP TABLE " + table).execute()
                              : Uni.createFrom().voidItem();
                      return totals
                          .flatMap(ignored -> drop)
                          .replaceWith(new Expiry(partition, deleted, held, held == 0));
                    }));
  }

  /** Deletes the rows of leads without a hold (and their ids); counts what went and what stays. */
  private static Uni<Row> deleteUnheld(SqlConnection conn, String table) {
    // table is one of NAME's matches, read from the catalog: safe in the text.
    return conn.query(
            """
            WITH gone AS (
              DELETE FROM %1$s c
               WHERE c.lead_id IS NULL
                  OR NOT EXISTS (SELECT 1 FROM backup.legal_holds h WHERE h.lead_id = c.lead_id)
              RETURNING c.id, c.raw_bytes),
            ids AS (DELETE FROM backup.llm_call_id i USING gone WHERE i.id = gone.id)
            SELECT (SELECT count(*) FROM gone) AS deleted,
                   (SELECT coalesce(sum(raw_bytes), 0) FROM gone) AS bytes,
                   (SELECT count(*) FROM %1$s c
                     WHERE EXISTS (SELECT 1 FROM backup.legal_holds h WHERE h.lead_id = c.lead_id))
                     AS held
            """
                .formatted(table))
        .execute()
        .map(rows -> rows.iterator().next());
  }

  /** Rows and raw bytes from the month totals; stored bytes and partitions from the catalog. */
  public Uni<ArchiveTotals> totals() {
    return pool.query(
            """
            SELECT (SELECT coalesce(sum(rows), 0) FROM backup.llm_call_month) AS rows,
                   (SELECT coalesce(sum(raw_bytes), 0) FROM backup.llm_call_month) AS raw_bytes,
                   coalesce(sum(pg_table_size(i.inhrelid)), 0) AS stored_bytes,
                   count(i.inhrelid) AS partitions
              FROM pg_inherits i WHERE i.inhparent = 'backup.llm_calls'::regclass
            """)
        .execute()
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new ArchiveTotals(
                  row.getLong("rows"),
                  row.getLong("raw_bytes"),
                  row.getLong("stored_bytes"),
                  row.getLong("partitions"));
            });
  }

  private static Optional<Partition> partition(String table) {
    Matcher m = NAME.matcher(table);
    if (!m.matches()) {
      return Optional.empty();
    }
    LocalDate first = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1);
    return Optional.of(new Partition(table, first.atStartOfDay(ZoneOffset.UTC).toInstant()));
  }
}
