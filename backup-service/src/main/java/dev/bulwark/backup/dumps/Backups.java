package dev.bulwark.backup.dumps;

import static dev.bulwark.backup.dumps.BackupObjects.MANIFEST;
import static dev.bulwark.backup.dumps.BackupObjects.VERIFICATION;
import static dev.bulwark.backup.dumps.BackupObjects.keyOf;
import static dev.bulwark.backup.dumps.BackupObjects.prefixOf;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectNotFound;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Reads the logical backups in storage: a backup is a manifest; a dump without one is not. */
@ApplicationScoped
public class Backups {

  // LogicalBackup's ids: start time and 6 random hex digits.
  private static final Pattern BACKUP_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");

  private static final Logger LOG = Logger.getLogger(Backups.class);

  private final BackupTargets targets;
  private final ObjectStorage storage;
  // Manifests never change once written: listings (gauges every minute, the API) read each once.
  private final Map<String, CachedManifest> manifests = new ConcurrentHashMap<>();

  private record CachedManifest(StoredObject object, Optional<BackupManifest> manifest) {}

  public Backups(BackupTargets targets, ObjectStorage storage) {
    this.targets = targets;
    this.storage = storage;
  }

  /**
   * The backups of {@code target}, newest first (a target never backed up has none).
   *
   * @throws TargetNotFound when no target has that name
   */
  public List<BackupManifest> of(String target) {
    targets.named(target);
    List<StoredObject> listed;
    try (Stream<StoredObject> objects = storage.list(prefixOf(target))) {
      listed = objects.filter(o -> o.key().value().endsWith("/" + MANIFEST)).toList();
    }
    Set<String> keys = new HashSet<>();
    listed.forEach(o -> keys.add(o.key().value()));
    manifests.keySet().removeIf(key -> key.startsWith(prefixOf(target)) && !keys.contains(key));
    return listed.stream()
        .map(this::cached)
        .flatMap(Optional::stream)
        .sorted(
            Comparator.comparing(BackupManifest::startedAt)
                .thenComparing(BackupManifest::backupId)
                .reversed())
        .toList();
  }

  // An unreadable manifest makes its backup unusable, not the listing: it is left out, logged once.
  private Optional<BackupManifest> cached(StoredObject object) {
    CachedManifest hit = manifests.get(object.key().value());
    if (hit != null && hit.object().equals(object)) {
      return hit.manifest();
    }
    Optional<BackupManifest> manifest;
    try {
      manifest = Optional.of(read(object.key(), BackupManifest.class));
    } catch (ObjectNotFound e) {
      return Optional.empty();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof JsonProcessingException) {
        LOG.warnf(
            "%s is not a readable manifest, its backup is left out: %s",
            object.key(), e.getCause().getMessage());
        manifest = Optional.empty();
      } else {
        throw e;
      }
    }
    manifests.put(object.key().value(), new CachedManifest(object, manifest));
    return manifest;
  }

  /**
   * The backup {@code backupId} of {@code target}, or empty when it does not exist (no manifest).
   *
   * @throws TargetNotFound when no target has that name
   */
  public Optional<BackupManifest> find(String target, String backupId) {
    targets.named(target);
    if (!BACKUP_ID.matcher(backupId).matches()) {
      return Optional.empty();
    }
    return readIfPresent(keyOf(target, backupId, MANIFEST), BackupManifest.class);
  }

  /** The latest verification of a backup, or empty when it was never verified. */
  public Optional<BackupVerification> verificationOf(BackupManifest backup) {
    return readIfPresent(
        keyOf(backup.target(), backup.backupId(), VERIFICATION), BackupVerification.class);
  }

  /** Stores {@code verification} beside its backup, replacing the one before. */
  public void saveVerification(BackupVerification verification) {
    try {
      storage.put(
          keyOf(verification.target(), verification.backupId(), VERIFICATION),
          new ByteArrayInputStream(BackupJson.write(verification)));
    } catch (IOException e) {
      throw new UncheckedIOException("an in-memory body cannot fail", e);
    }
  }

  private <T extends Record> Optional<T> readIfPresent(ObjectKey key, Class<T> type) {
    try {
      return Optional.of(read(key, type));
    } catch (ObjectNotFound e) {
      return Optional.empty();
    }
  }

  private <T extends Record> T read(ObjectKey key, Class<T> type) {
    try (InputStream in = storage.get(key)) {
      return BackupJson.read(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key, e);
    }
  }
}
