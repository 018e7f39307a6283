package dev.bulwark.failover.store;

import dev.bulwark.common.time.Timestamps;
import dev.bulwark.failover.groups.FailoverEvent;
import dev.bulwark.failover.groups.GroupState;
import dev.bulwark.failover.groups.Intent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the groups' decisive state. Every decision is a compare-and-swap on {@code epoch}: of two
 * services that decide at once, one changes the row and the other changes nothing.
 */
@ApplicationScoped
public class GroupStore {

  private static final String COLUMNS =
      "group_name, epoch, primary_member, paused, intent_member, intent_from, intent_failures,"
          + " intent_lag_bytes, intent_detected_at, last_failover_at, primary_timeline";

  private final Pool pool;
  private final EventStore events;

  public GroupStore(Pool pool, EventStore events) {
    this.pool = pool;
    this.events = events;
  }

  public Uni<Optional<GroupState>> find(String group) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM failover.failover_group WHERE group_name = $1")
        .execute(Tuple.of(group))
        .map(GroupStore::first);
  }

  /**
   * Stores a group's first primary (and the timeline it writes on, if known) unless some service
   * stored one first; returns the row.
   */
  public Uni<Optional<GroupState>> initialize(
      String group, String primary, Optional<Long> timeline, Instant now) {
    return pool.preparedQuery(
            """
            INSERT INTO failover.failover_group
              (group_name, primary_member, primary_timeline, updated_at)
            VALUES ($1, $2, $3, $4) ON CONFLICT (group_name) DO NOTHING""")
        .execute(Tuple.of(group, primary, timeline.orElse(null), Timestamps.utc(now)))
        .chain(() -> find(group));
  }

  /**
   * Records the timeline the primary of {@code epoch} writes on; false when the epoch moved on, a
   * failover is in progress or {@code primary} is no longer the primary.
   */
  public Uni<Boolean> recordTimeline(
      String group, long epoch, String primary, long timeline, Instant now) {
    return pool.preparedQuery(
            """
            UPDATE failover.failover_group SET primary_timeline = $4, updated_at = $5
            WHERE group_name = $1 AND epoch = $2 AND primary_member = $3
              AND intent_member IS NULL""")
        .execute(Tuple.of(group, epoch, primary, timeline, Timestamps.utc(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Takes {@code member}, promoted outside failover-service, as the primary of the next epoch and
   * records {@code event}, atomically; empty when the epoch moved on or a failover is in progress
   * (another service decided first).
   */
  public Uni<Optional<GroupState>> adopt(
      String group, long expectedEpoch, String member, long timeline, FailoverEvent event) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    """
                    UPDATE failover.failover_group
                    SET epoch = epoch + 1, primary_member = $3, primary_timeline = $4,
                        updated_at = $5
                    WHERE group_name = $1 AND epoch = $2 AND intent_member IS NULL
                    RETURNING\s"""
                        + COLUMNS)
                .execute(
                    Tuple.of(group, expectedEpoch, member, timeline, Timestamps.utc(event.at())))
                .chain(
                    rows ->
                        rows.rowCount() == 1
                            ? EventStore.insert(connection, event).replaceWith(first(rows))
                            : Uni.createFrom().item(Optional.<GroupState>empty())));
  }

  /**
   * Takes the next epoch for a failover to {@code intent.candidate()}, written before anything is
   * promoted; empty when the epoch moved on, the group is paused or another failover is stored.
   */
  public Uni<Optional<GroupState>> takeIntent(
      String group, long expectedEpoch, Intent intent, Instant now) {
    return pool.preparedQuery(
            """
            UPDATE failover.failover_group
            SET epoch = epoch + 1, intent_member = $3, intent_from = primary_member,
                intent_failures = $4, intent_lag_bytes = $5, intent_detected_at = $6,
                updated_at = $7
            WHERE group_name = $1 AND epoch = $2 AND NOT paused AND intent_member IS NULL
            RETURNING\s"""
                + COLUMNS)
        .execute(
            Tuple.tuple(
                List.of(
                    group,
                    expectedEpoch,
                    intent.candidate(),
                    intent.consecutiveFailures(),
                    intent.lagBytes().orElse(null),
                    Timestamps.utc(intent.detectedAt()),
                    Timestamps.utc(now))))
        .map(GroupStore::first);
  }

  /**
   * Finishes the failover of {@code epoch} to its candidate and records {@code event}, atomically;
   * false when it was finished already (by another service).
   */
  public Uni<Boolean> finish(String group, long epoch, String candidate, FailoverEvent event) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    """
                    UPDATE failover.failover_group
                    SET primary_member = intent_member, primary_timeline = NULL,
                        intent_member = NULL, intent_from = NULL,
                        intent_failures = NULL, intent_lag_bytes = NULL, intent_detected_at = NULL,
                        last_failover_at = $4, updated_at = $4
                    WHERE group_name = $1 AND epoch = $2 AND intent_member = $3""")
                .execute(Tuple.of(group, epoch, candidate, Timestamps.utc(event.at())))
                .chain(
                    rows ->
                        rows.rowCount() == 1
                            ? EventStore.insert(connection, event).replaceWith(true)
                            : Uni.createFrom().item(false)));
  }

  /**
   * Pauses or resumes a group unless a failover is in progress, recording {@code event}; empty when
   * the group has no stored state, otherwise the state after the change (unchanged, with its
   * intent, when refused).
   */
  public Uni<Optional<GroupState>> setPaused(String group, boolean paused, FailoverEvent event) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    "UPDATE failover.failover_group SET paused = $2, updated_at = $3"
                        + " WHERE group_name = $1 AND intent_member IS NULL RETURNING "
                        + COLUMNS)
                .execute(Tuple.of(group, paused, Timestamps.utc(event.at())))
                .chain(
                    rows ->
                        rows.rowCount() == 1
                            ? EventStore.insert(
                                    connection, event.withEpoch(first(rows).orElseThrow().epoch()))
                                .replaceWith(first(rows))
                            : find(group)));
  }

  private static Optional<GroupState> first(RowSet<Row> rows) {
    List<GroupState> all = new ArrayList<>();
    rows.forEach(row -> all.add(state(row)));
    return all.stream().findFirst();
  }

  private static GroupState state(Row row) {
    Optional<Intent> intent =
        Optional.ofNullable(row.getString("intent_member"))
            .map(
                candidate ->
                    new Intent(
                        row.getLong("epoch"),
                        candidate,
                        row.getString("intent_from"),
                        row.getInteger("intent_failures"),
                        Optional.ofNullable(row.getLong("intent_lag_bytes")),
                        Timestamps.instant(row.getOffsetDateTime("intent_detected_at"))));
    return new GroupState(
        row.getString("group_name"),
        row.getLong("epoch"),
        row.getString("primary_member"),
        row.getBoolean("paused"),
        intent,
        Optional.ofNullable(row.getOffsetDateTime("last_failover_at")).map(Timestamps::instant),
        Optional.ofNullable(row.getLong("primary_timeline")));
  }
}
