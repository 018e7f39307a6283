package dev.bulwark.backup.retention;

import dev.bulwark.backup.config.RetentionConfig;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupObjects;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.RunLeftover;
import dev.bulwark.backup.storage.StoredObject;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Applies the {@link RetentionPolicy} to one target's backups in storage, and sweeps the objects of
 * runs that died before writing their manifest. Blocking: call it on a worker thread.
 */
@Startup // the policy's check of the configuration runs at start, not at the first pass
@ApplicationScoped
public class BackupRetention {

  private static final Logger LOG = Logger.getLogger(BackupRetention.class);

  private final Backups backups;
  private final ObjectStorage storage;
  private final RetentionPolicy policy;
  private final Duration leftoverGrace;
  private final Clock clock;

  @Inject
  public BackupRetention(
      Backups backups, ObjectStorage storage, RetentionConfig config, Clock clock) {
    this(backups, storage, RetentionPolicy.of(config), config.leftoverGrace(), clock);
  }

  /** With the policy given directly (tests and tools). */
  public BackupRetention(
      Backups backups,
      ObjectStorage storage,
      RetentionPolicy policy,
      Duration leftoverGrace,
      Clock clock) {
    if (leftoverGrace.isNegative() || leftoverGrace.isZero()) {
      throw new IllegalArgumentException(
          "bulwark.backup.retention.leftover-grace must be positive, is " + leftoverGrace);
    }
    this.backups = backups;
    this.storage = storage;
    this.policy = policy;
    this.leftoverGrace = leftoverGrace;
    this.clock = clock;
  }

  /**
   * Deletes what {@code target}'s policy lets go, then the leftovers older than the grace.
   *
   * @throws dev.bulwark.backup.dumps.TargetNotFound when no target has that name
   */
  public RetentionOutcome apply(String target) {
    Instant now = clock.instant();
    List<RetentionCandidate> candidates =
        backups.withVerifications(target).stream()
            .map(backup -> new RetentionCandidate(backup.manifest(), backup.verified()))
            .toList();
    RetentionSelection selection = policy.select(candidates, now);
    List<RetentionOutcome.DeletedBackup> deleted = new ArrayList<>();
    for (RetentionCandidate candidate : selection.deleted()) {
      delete(candidate.backup());
      Duration age = Duration.between(candidate.startedAt(), now);
      LOG.infof(
          "retention deleted backup %s of target %s, started %d days ago (%s)",
          candidate.backupId(), target, age.toDays(), candidate.startedAt());
      deleted.add(new RetentionOutcome.DeletedBackup(candidate.backupId(), age));
    }
    List<String> leftovers = sweepLeftovers(target, now);
    return new RetentionOutcome(target, selection.kept(), deleted, leftovers);
  }

  private void delete(BackupManifest backup) {
    BackupObjects.deletionOrder(backup).forEach(storage::delete);
    // Anything else under the backup's prefix goes too; without the manifest it is a leftover.
    deleteAll(keysUnder(BackupObjects.prefixOf(backup.target(), backup.backupId())));
  }

  /**
   * Deletes the objects of backup ids that have no manifest and whose newest object is older than
   * the grace: a run that died (or a deletion cut short). Younger ones may be a run in progress.
   */
  private List<String> sweepLeftovers(String target, Instant now) {
    Instant cutoff = now.minus(leftoverGrace);
    List<String> swept = new ArrayList<>();
    for (RunLeftover leftover :
        RunLeftover.under(
            storage,
            BackupObjects.prefixOf(target),
            key -> BackupObjects.backupIdOf(target, key),
            BackupObjects::isManifest)) {
      if (leftover.lastWritten().isBefore(cutoff)) {
        deleteAll(leftover.keys());
        LOG.infof(
            "retention deleted %d objects of backup %s of target %s: no manifest, last"
                + " written %s (a run that did not finish)",
            leftover.keys().size(), leftover.backupId(), target, leftover.lastWritten());
        swept.add(leftover.backupId());
      }
    }
    return swept;
  }

  private List<ObjectKey> keysUnder(String prefix) {
    try (Stream<StoredObject> objects = storage.list(prefix)) {
      return objects.map(StoredObject::key).toList();
    }
  }

  private void deleteAll(List<ObjectKey> keys) {
    keys.forEach(storage::delete);
  }
}
