package dev.bulwark.backup.exported;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts what retention deleted, per target; per replica, so rules sum them. */
@ApplicationScoped
public class RetentionCounters {

  private final MeterRegistry registry;

  public RetentionCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code bulwark_backup_retention_deleted_total{target}}: backups retention deleted. */
  public void deletedBackups(String target, int count) {
    Counter.builder("bulwark.backup.retention.deleted")
        .description("Backups deleted by retention")
        .tag("target", target)
        .register(registry)
        .increment(count);
  }

  /**
   * {@code bulwark_backup_retention_leftovers_deleted_total{target}}: runs without a manifest whose
   * objects retention swept.
   */
  public void deletedLeftovers(String target, int count) {
    Counter.builder("bulwark.backup.retention.leftovers.deleted")
        .description("Unfinished backup runs (objects without a manifest) deleted by retention")
        .tag("target", target)
        .register(registry)
        .increment(count);
  }

  /**
   * {@code bulwark_backup_pitr_retention_leftovers_deleted_total{target}}: base backup runs without
   * a manifest whose objects PITR retention swept. A sibling of {@link #deletedLeftovers}, not the
   * same metric: a PITR target is named like the dump target it backs up (both {@code
   * target="store"}), so one series would add base backup pieces to dump runs; the {@code pitr_}
   * prefix is the one every PITR metric has. Alert on leftovers of both with {@code
   * {__name__=~"bulwark_backup_(pitr_)?retention_leftovers_deleted_total"}}.
   */
  public void deletedPitrLeftovers(String target, int count) {
    Counter.builder("bulwark.backup.pitr.retention.leftovers.deleted")
        .description(
            "Unfinished base backup runs (objects without a manifest) deleted by retention")
        .tag("target", target)
        .register(registry)
        .increment(count);
  }

  /**
   * {@code bulwark_backup_retention_unfinished_writes_dropped_total}: temporary files or multipart
   * uploads of writers that died, removed by retention.
   */
  public void droppedUnfinishedWrites(int count) {
    Counter.builder("bulwark.backup.retention.unfinished.writes.dropped")
        .description(
            "Unfinished writes (temporary files, multipart uploads) of dead writers removed")
        .register(registry)
        .increment(count);
  }
}
