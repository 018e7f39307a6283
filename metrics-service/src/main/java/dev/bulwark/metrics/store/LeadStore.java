package dev.bulwark.metrics.store;

import dev.bulwark.common.time.Timestamps;
import dev.bulwark.metrics.leads.Lead;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/** SQL for leads and their rollups. */
@ApplicationScoped
public class LeadStore {

  private final Pool pool;

  public LeadStore(Pool pool) {
    this.pool = pool;
  }

  /** Stores the leads not seen before and counts them, in one statement; returns how many. */
  public Uni<Long> insert(List<Lead> leads) {
    if (leads.isEmpty()) {
      return Uni.createFrom().item(0L);
    }
    List<Lead> sorted = leads.stream().sorted(Comparator.comparing(Lead::id)).toList();
    return pool.preparedQuery(
            """
            WITH inserted AS (
              INSERT INTO metrics.lead (id, source, created_at)
              SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
              ON CONFLICT DO NOTHING
              RETURNING source, created_at
            ), rolled AS (
              INSERT INTO metrics.lead_rollup AS r (bucket, source, leads)
              SELECT date_bin('5 minutes', created_at, timestamptz '2000-01-01 00:00:00Z'), source, count(*)
                FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
              ON CONFLICT (bucket, source) DO UPDATE SET leads = r.leads + excluded.leads
            )
            SELECT count(*) AS stored FROM inserted""")
        .execute(
            Tuple.of(
                sorted.stream().map(Lead::id).toArray(String[]::new),
                sorted.stream().map(Lead::source).toArray(String[]::new),
                sorted.stream()
                    .map(l -> Timestamps.utc(l.createdAt()))
                    .toArray(OffsetDateTime[]::new)))
        .map(rows -> rows.iterator().next().getLong("stored"));
  }

  /** Leads created in each window ending at {@code now} (whole 5-minute buckets). */
  public Uni<List<Long>> counts(Instant now, List<Duration> windows) {
    StringBuilder sql = new StringBuilder("SELECT ");
    Object[] params = EmailStore.windowStarts(now, windows);
    for (int i = 0; i < windows.size(); i++) {
      sql.append(i == 0 ? "" : ", ")
          .append("coalesce(sum(leads) FILTER (WHERE bucket > $")
          .append(i + 1)
          .append("), 0)::bigint AS w")
          .append(i);
    }
    sql.append(" FROM metrics.lead_rollup WHERE bucket > $").append(windows.size() + 1);
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              var row = rows.iterator().next();
              return java.util.stream.IntStream.range(0, windows.size())
                  .mapToObj(i -> row.getLong("w" + i))
                  .toList();
            });
  }
}
