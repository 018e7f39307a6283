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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  // Every stored manifest and verification is read once per version of it (same size, time and
  // ETag): listings (gauges every minute, the API, retention) cost one LIST, not a GET per backup.
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(StoredObject object, Optional<? extends Record> value) {}

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
    return withVerifications(target).stream().map(StoredBackup::manifest).toList();
  }

  /**
   * The backups of {@code target} with their latest verifications, newest first, from one listing.
   *
   * @throws TargetNotFound when no target has that name
   */
  public List<StoredBackup> withVerifications(String target) {
    targets.named(target);
    Map<String, StoredObject> listed = new HashMap<>();
    try (Stream<StoredObject> objects = storage.list(prefixOf(target))) {
      objects
          .filter(
              o ->
                  o.key().value().endsWith("/" + MANIFEST)
                      || o.key().value().endsWith("/" + VERIFICATION))
          .forEach(o -> listed.put(o.key().value(), o));
    }
    cache.keySet().removeIf(key -> key.startsWith(prefixOf(target)) && !listed.containsKey(key));
    return listed.values().stream()
        .filter(o -> o.key().value().endsWith("/" + MANIFEST))
        .flatMap(o -> cached(o, BackupManifest.class).stream())
        .map(
            manifest ->
                new StoredBackup(
                    manifest,
                    Optional.ofNullable(
                            listed.get(
                                keyOf(manifest.target(), manifest.backupId(), VERIFICATION)
                                    .value()))
                        .flatMap(o -> cached(o, BackupVerification.class))))
        .sorted(
            Comparator.comparing((StoredBackup b) -> b.manifest().startedAt())
                .thenComparing(b -> b.manifest().backupId())
                .reversed())
        .toList();
  }

  // An unreadable file makes its backup unusable (or unverified), not the listing: it is left out,
  // logged once.
  private <T extends Record> Optional<T> cached(StoredObject object, Class<T> type) {
    Cached hit = cache.get(object.key().value());
    if (hit == null || !hit.object().equals(object)) {
      hit = new Cached(object, readListed(object, type));
      cache.put(object.key().value(), hit);
    }
    return hit.value().map(type::cast);
  }

  private <T extends Record> Optional<T> readListed(StoredObject object, Class<T> type) {
    try {
      return Optional.of(read(object.key(), type));
    } catch (ObjectNotFound e) {
      return Optional.empty();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof JsonProcessingException) {
        LOG.warnf(
            "%s is not a readable %s and is left out: %s",
            object.key(), type.getSimpleName(), e.getCause().getMessage());
        return Optional.empty();
      }
      throw e;
    }
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
