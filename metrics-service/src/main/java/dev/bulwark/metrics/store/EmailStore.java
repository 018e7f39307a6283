package dev.bulwark.metrics.store;

import dev.bulwark.common.time.Timestamps;
import dev.bulwark.metrics.email.CampaignCounts;
import dev.bulwark.metrics.email.CampaignCursor;
import dev.bulwark.metrics.email.CampaignOrder;
import dev.bulwark.metrics.email.EmailEvent;
import dev.bulwark.metrics.email.WindowCounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** SQL for email events and their rollups. */
@ApplicationScoped
public class EmailStore {

  /** Width of a rollup bucket, the resolution of every window. */
  public static final Duration BUCKET = Duration.ofMinutes(5);

  private final Pool pool;

  public EmailStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores the events not seen before and adds them to the rollups, in one statement: either all of
   * a batch counts or none of it. Returns how many were new.
   */
  public Uni<Long> insert(List<EmailEvent> events) {
    if (events.isEmpty()) {
      return Uni.createFrom().item(0L);
    }
    // A fixed order makes concurrent batches lock shared keys in the same order.
    List<EmailEvent> sorted =
        events.stream()
            .sorted(
                Comparator.comparing(EmailEvent::provider)
                    .thenComparing(EmailEvent::providerEventId))
            .toList();
    return pool.preparedQuery(
            """
            WITH inserted AS (
              INSERT INTO metrics.email_event
                     (provider, provider_event_id, message_id, event, bounce_type, campaign, occurred_at)
              SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                   $7::timestamptz[])
              ON CONFLICT DO NOTHING
              RETURNING event, bounce_type, campaign, occurred_at
            ), rolled AS (
              INSERT INTO metrics.email_rollup AS r (bucket, campaign, event, bounce_type, events)
              SELECT date_bin('5 minutes', occurred_at, timestamptz '2000-01-01 00:00:00Z'), campaign, event,
                     coalesce(bounce_type, ''), count(*)
                FROM inserted GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
              ON CONFLICT (bucket, campaign, event, bounce_type) DO UPDATE SET events = r.events + excluded.events
            )
            SELECT count(*) AS stored FROM inserted""")
        .execute(
            Tuple.from(
                new Object[] {
                  sorted.stream().map(EmailEvent::provider).toArray(String[]::new),
                  sorted.stream().map(EmailEvent::providerEventId).toArray(String[]::new),
                  sorted.stream().map(EmailEvent::messageId).toArray(String[]::new),
                  sorted.stream().map(e -> e.type().wire()).toArray(String[]::new),
                  sorted.stream()
                      .map(e -> e.bounceType() == null ? null : e.bounceType().wire())
                      .toArray(String[]::new),
                  sorted.stream().map(EmailEvent::campaign).toArray(String[]::new),
                  sorted.stream()
                      .map(e -> Timestamps.utc(e.occurredAt()))
                      .toArray(OffsetDateTime[]::new)
                }))
        .map(rows -> rows.iterator().next().getLong("stored"));
  }

  /**
   * Counts per window ending at {@code now}. A window covers every 5-minute bucket that overlaps
   * it, so it may reach up to 5 minutes further back.
   */
  public Uni<List<WindowCounts>> counts(Instant now, List<Duration> windows) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < windows.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(countColumns("bucket > $" + (i + 1) + " AND ", i));
    }
    sql.append(" FROM metrics.email_rollup WHERE bucket > $").append(windows.size() + 1);
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(windowStarts(now, windows)))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return IntStream.range(0, windows.size()).mapToObj(i -> counts(row, i)).toList();
            });
  }

  /**
   * Campaigns' counts in the window ending at {@code to}, ranked by {@code order}'s count, largest
   * first, ties by campaign name: at most {@code limit}, starting after {@code after} (keyset
   * pagination, so a page costs the same wherever it starts and a tie never splits unevenly).
   */
  public Uni<List<CampaignCounts>> rankedCampaigns(
      Instant to, Duration window, CampaignOrder order, int limit, Optional<CampaignCursor> after) {
    String key = rankKey(order);
    return pool.preparedQuery(
            "WITH campaigns AS (SELECT campaign, "
                + countColumns("", 0)
                + " FROM metrics.email_rollup WHERE bucket > $1 AND bucket <= $2"
                + " GROUP BY campaign)"
                + " SELECT * FROM campaigns"
                + " WHERE $3::bigint IS NULL OR "
                + key
                + " < $3 OR ("
                + key
                + " = $3 AND campaign > $4)"
                + " ORDER BY "
                + key
                + " DESC, campaign LIMIT $5")
        .execute(
            Tuple.tuple()
                .addValue(Timestamps.utc(to.minus(window).minus(BUCKET)))
                .addValue(Timestamps.utc(to))
                .addValue(after.map(CampaignCursor::key).orElse(null))
                .addValue(after.map(CampaignCursor::campaign).orElse(null))
                .addValue(limit))
        .map(
            rows -> {
              List<CampaignCounts> campaigns = new ArrayList<>(rows.size());
              for (Row row : rows) {
                campaigns.add(new CampaignCounts(row.getString("campaign"), counts(row, 0)));
              }
              return campaigns;
            });
  }

  /** The rank key of {@code order} over the columns of {@link #countColumns}: trusted SQL. */
  private static String rankKey(CampaignOrder order) {
    return switch (order) {
      case BOUNCES -> "(hb0 + sb0)";
      case HARD_BOUNCES -> "hb0";
      case COMPLAINTS -> "c0";
    };
  }

  /** Deletes raw events received before {@code eventsBefore} and rollups before the other. */
  public Uni<Long> prune(Instant eventsBefore, Instant rollupsBefore) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery("DELETE FROM metrics.email_event WHERE received_at < $1")
                .execute(Tuple.of(Timestamps.utc(eventsBefore)))
                .flatMap(
                    events ->
                        tx.preparedQuery("DELETE FROM metrics.email_rollup WHERE bucket < $1")
                            .execute(Tuple.of(Timestamps.utc(rollupsBefore)))
                            .map(rollups -> (long) events.rowCount() + rollups.rowCount())));
  }

  /**
   * The five counts of {@link WindowCounts}, each a filtered sum of the rollup, as columns suffixed
   * with {@code n}; {@code scope} (trusted SQL ending in AND, or empty) narrows every sum.
   */
  private static String countColumns(String scope, int n) {
    return String.join(
        ", ",
        sum(scope + "event = 'delivered'", "d" + n),
        sum(scope + "event = 'bounced' AND bounce_type = 'hard'", "hb" + n),
        sum(scope + "event = 'bounced' AND bounce_type = 'soft'", "sb" + n),
        sum(scope + "event = 'complained'", "c" + n),
        sum(scope + "event = 'deferred'", "df" + n));
  }

  private static String sum(String condition, String alias) {
    return "coalesce(sum(events) FILTER (WHERE " + condition + "), 0)::bigint AS " + alias;
  }

  private static WindowCounts counts(Row row, int n) {
    return new WindowCounts(
        row.getLong("d" + n),
        row.getLong("hb" + n),
        row.getLong("sb" + n),
        row.getLong("c" + n),
        row.getLong("df" + n));
  }

  /**
   * Parameters of a windowed rollup read: for each window, the bucket start it must exceed (so
   * every bucket overlapping the window counts), then the same for the longest window.
   */
  static Object[] windowStarts(Instant now, List<Duration> windows) {
    Object[] params = new Object[windows.size() + 1];
    for (int i = 0; i < windows.size(); i++) {
      params[i] = Timestamps.utc(now.minus(windows.get(i)).minus(BUCKET));
    }
    Duration longest = windows.stream().max(Duration::compareTo).orElseThrow();
    params[windows.size()] = Timestamps.utc(now.minus(longest).minus(BUCKET));
    return params;
  }
}
