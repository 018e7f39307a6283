package dev.bulwark.backup.store;

import dev.bulwark.backup.llmcalls.LlmCall;
import dev.bulwark.backup.llmcalls.LlmCallProblems.IdTaken;
import dev.bulwark.backup.llmcalls.LlmCallQuery;
import dev.bulwark.backup.llmcalls.StoredBatch;
import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** SQL of the archived LLM calls: a batch stored all or nothing, pages and a streamed export. */
@ApplicationScoped
public class LlmCallStore {

  /** Rows the export's server-side cursor fetches at a time: memory stays at one such chunk. */
  static final int EXPORT_FETCH = 500;

  private final Pool pool;

  public LlmCallStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores the calls whose ids are new, in one transaction: an id already archived with the same
   * content is a retry and stored once; with other content it fails the whole batch ({@link
   * IdTaken}). The month partitions must exist ({@link LlmCallPartitionStore#ensure}).
   */
  public Uni<StoredBatch> store(List<LlmCall> calls, Instant now) {
    return pool.withTransaction(conn -> store(conn, calls, now));
  }

  private Uni<StoredBatch> store(SqlConnection conn, List<LlmCall> calls, Instant now) {
    List<String> digests = calls.stream().map(LlmCall::digest).toList();
    String[] ids = calls.stream().map(LlmCall::id).toArray(String[]::new);
    OffsetDateTime[] starts =
        calls.stream().map(c -> Timestamps.utc(c.startedAt())).toArray(OffsetDateTime[]::new);
    // Claiming the id first serialises two batches with one id: the second waits, then sees it.
    return conn.preparedQuery(
            """
            INSERT INTO backup.llm_call_id (id, started_at, digest)
            SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[])
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """)
        .execute(Tuple.of(ids, starts, digests.toArray(String[]::new)))
        .flatMap(
            claimedRows -> {
              Set<String> claimed = new HashSet<>();
              claimedRows.forEach(r -> claimed.add(r.getString("id")));
              List<Integer> known = new ArrayList<>();
              for (int i = 0; i < calls.size(); i++) {
                if (!claimed.contains(calls.get(i).id())) {
                  known.add(i);
                }
              }
              return checkRetries(conn, calls, digests, known)
                  .flatMap(ignored -> insert(conn, calls, claimed, now))
                  .map(stored -> new StoredBatch(calls.size(), calls.size() - stored));
            });
  }

  /** Fails with {@link IdTaken} when a known id was archived with another digest. */
  private Uni<Void> checkRetries(
      SqlConnection conn, List<LlmCall> calls, List<String> digests, List<Integer> known) {
    if (known.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String[] ids = known.stream().map(i -> calls.get(i).id()).toArray(String[]::new);
    return conn.preparedQuery("SELECT id, digest FROM backup.llm_call_id WHERE id = ANY($1)")
        .execute(Tuple.of((Object) ids))
        .map(
            rows -> {
              Map<String, String> archived = new HashMap<>();
              rows.forEach(r -> archived.put(r.getString("id"), r.getString("digest")));
              for (int i : known) {
                if (!digests.get(i).equals(archived.get(calls.get(i).id()))) {
                  throw new IdTaken(i, calls.get(i).id());
                }
              }
              return null;
            });
  }

  /** Inserts the claimed calls and adds them to their months' totals; answers how many. */
  private Uni<Integer> insert(
      SqlConnection conn, List<LlmCall> calls, Set<String> claimed, Instant now) {
    List<LlmCall> fresh = calls.stream().filter(c -> claimed.contains(c.id())).toList();
    if (fresh.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    Map<Instant, long[]> months = new TreeMap<>();
    for (LlmCall call : fresh) {
      long[] totals = months.computeIfAbsent(LlmCallMonths.of(call.startedAt()), m -> new long[2]);
      totals[0]++;
      totals[1] += call.rawBytes();
    }
    List<Tuple> rows = fresh.stream().map(c -> LlmCallRows.tuple(c, now)).toList();
    OffsetDateTime[] monthStarts =
        months.keySet().stream().map(Timestamps::utc).toArray(OffsetDateTime[]::new);
    Long[] counts = months.values().stream().map(t -> t[0]).toArray(Long[]::new);
    Long[] bytes = months.values().stream().map(t -> t[1]).toArray(Long[]::new);
    return conn.preparedQuery(LlmCallRows.INSERT)
        .executeBatch(rows)
        .flatMap(
            ignored ->
                conn.preparedQuery(
                        """
                        INSERT INTO backup.llm_call_month (month, rows, raw_bytes)
                        SELECT * FROM unnest($1::timestamptz[], $2::bigint[], $3::bigint[])
                        ON CONFLICT (month) DO UPDATE
                          SET rows = llm_call_month.rows + excluded.rows,
                              raw_bytes = llm_call_month.raw_bytes + excluded.raw_bytes
                        """)
                    .execute(Tuple.of(monthStarts, counts, bytes)))
        .replaceWith(fresh.size());
  }

  /**
   * Up to {@link KeysetPage#rowsToRead} calls of the query in the listing order (one more: is there
   * a next).
   */
  public Uni<List<LlmCall>> page(LlmCallQuery query, Instant from, Instant to) {
    Statement statement = statement(query, from, to, true);
    return pool.preparedQuery(statement.sql())
        .execute(Tuple.from(statement.params()))
        .map(rows -> rows.stream().map(LlmCallRows::call).toList());
  }

  /**
   * Every call of the query's filters in [from, to), in the listing order, read through a
   * server-side cursor {@value #EXPORT_FETCH} rows at a time as the subscriber asks for them.
   */
  public Multi<LlmCall> export(LlmCallQuery query, Instant from, Instant to) {
    Statement statement = statement(query, from, to, false);
    // A cursor lives in a transaction; the connection goes back to the pool however the stream
    // ends.
    return Multi.createFrom()
        .uni(pool.getConnection())
        .onItem()
        .transformToMultiAndConcatenate(
            conn ->
                conn.begin()
                    .onItem()
                    .transformToMulti(
                        tx ->
                            conn.prepare(statement.sql())
                                .onItem()
                                .transformToMulti(
                                    prepared ->
                                        prepared
                                            .createStream(
                                                EXPORT_FETCH, Tuple.from(statement.params()))
                                            .toMulti())
                                .onTermination()
                                .call(() -> tx.rollback().onFailure().recoverWithNull()))
                    .onTermination()
                    .call(() -> conn.close().onFailure().recoverWithNull()))
        .map(LlmCallRows::call);
  }

  /** A statement's text and its positional parameters. */
  record Statement(String sql, List<Object> params) {}

  /** Only the filters given become conditions, so each combination gets its index's plan. */
  static Statement statement(LlmCallQuery query, Instant from, Instant to, boolean paged) {
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>();
    where.add("started_at >= " + param(params, Timestamps.utc(from)));
    where.add("started_at < " + param(params, Timestamps.utc(to)));
    query.model().ifPresent(m -> where.add("model = " + param(params, m)));
    query.leadId().ifPresent(l -> where.add("lead_id = " + param(params, l)));
    query.step().ifPresent(s -> where.add("step = " + param(params, s)));
    if (paged) {
      query
          .after()
          .ifPresent(
              c ->
                  where.add(
                      "(started_at, id) > ("
                          + param(params, Timestamps.utc(c.startedAt()))
                          + "::timestamptz, "
                          + param(params, c.id())
                          + "::text)"));
    }
    String sql =
        "SELECT "
            + LlmCallRows.COLUMNS
            + "\n  FROM backup.llm_calls\n WHERE "
            + String.join("\n   AND ", where)
            + "\n ORDER BY started_at, id"
            + (paged ? "\n LIMIT " + param(params, KeysetPage.rowsToRead(query.limit())) : "");
    return new Statement(sql, params);
  }

  /** Adds a positional parameter and returns its placeholder: values never enter the SQL text. */
  private static String param(List<Object> params, Object value) {
    params.add(value);
    return "$" + params.size();
  }
}
