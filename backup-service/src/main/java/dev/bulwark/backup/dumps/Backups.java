package dev.bulwark.backup.dumps;

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
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the logical backups in storage: a backup is a manifest; a dump without one is not. */
@ApplicationScoped
public class Backups {

  static final String MANIFEST = "manifest.json";
  static final String VERIFICATION = "verification.json";
  // LogicalBackup's ids: start time and 6 random hex digits.
  private static final Pattern BACKUP_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");

  private final BackupTargets targets;
  private final ObjectStorage storage;

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
    try (Stream<StoredObject> objects = storage.list(prefixOf(target))) {
      return objects
          .map(StoredObject::key)
          .filter(key -> key.value().endsWith("/" + MANIFEST))
          .map(key -> read(key, BackupManifest.class))
          .sorted(
              Comparator.comparing(BackupManifest::startedAt)
                  .thenComparing(BackupManifest::backupId)
                  .reversed())
          .toList();
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

  /**
   * The verification of {@code target}'s newest backup that has one, or empty when none was
   * verified: one listing and one read, cheap enough for a gauge refresh.
   */
  public Optional<BackupVerification> newestVerification(String target) {
    Optional<ObjectKey> newest;
    try (Stream<StoredObject> objects = storage.list(prefixOf(target))) {
      // Backup ids start with their UTC start time, so the greatest key is the newest backup.
      newest =
          objects
              .map(StoredObject::key)
              .filter(key -> key.value().endsWith("/" + VERIFICATION))
              .max(Comparator.comparing(ObjectKey::value));
    }
    return newest.flatMap(key -> readIfPresent(key, BackupVerification.class));
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

  static String prefixOf(String target) {
    return "backups/" + target + "/";
  }

  static ObjectKey keyOf(String target, String backupId, String file) {
    return ObjectKey.of(prefixOf(target) + backupId + "/" + file);
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
