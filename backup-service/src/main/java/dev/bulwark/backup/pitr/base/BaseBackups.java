package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectNotFound;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.RunLeftover;
import dev.bulwark.backup.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Reads the base backups in storage: a base backup is a manifest; a tar without one is not. */
@ApplicationScoped
public class BaseBackups {

  private static final Logger LOG = Logger.getLogger(BaseBackups.class);

  private final ObjectStorage storage;

  public BaseBackups(ObjectStorage storage) {
    this.storage = storage;
  }

  /** The base backups of {@code target}, oldest first. */
  public List<BaseBackupManifest> of(String target) {
    try (Stream<StoredObject> objects = storage.list(BaseBackupObjects.prefixOf(target))) {
      return objects
          .map(StoredObject::key)
          .filter(key -> key.value().endsWith("/" + BaseBackupObjects.MANIFEST))
          .toList()
          .stream()
          .flatMap(key -> read(key).stream())
          .sorted(
              Comparator.comparing(BaseBackupManifest::startedAt)
                  .thenComparing(BaseBackupManifest::backupId))
          .toList();
    }
  }

  /**
   * The backup ids of {@code target} with objects but no manifest, by id: runs in progress and what
   * runs that did not finish left (pieces a failed run could not delete, a deletion cut short).
   */
  public List<RunLeftover> leftovers(String target) {
    return RunLeftover.under(
        storage,
        BaseBackupObjects.prefixOf(target),
        key -> BaseBackupObjects.backupIdOf(target, key),
        key -> key.value().endsWith("/" + BaseBackupObjects.MANIFEST));
  }

  /** Deletes what a run that did not finish left. */
  public void deleteLeftover(RunLeftover leftover) {
    leftover.keys().forEach(storage::delete);
  }

  /** Deletes one base backup, its manifest first. */
  public void delete(BaseBackupManifest backup) {
    BaseBackupObjects.deletionOrder(backup).forEach(storage::delete);
  }

  // An unreadable manifest makes its backup unusable, not the listing: it is left out, logged.
  private Optional<BaseBackupManifest> read(ObjectKey key) {
    try (InputStream in = storage.get(key)) {
      return Optional.of(BaseBackupJson.read(in));
    } catch (ObjectNotFound e) {
      return Optional.empty(); // deleted since the listing
    } catch (IOException e) {
      LOG.warnf("base backup manifest %s is unreadable and left out: %s", key, e.getMessage());
      return Optional.empty();
    }
  }
}
