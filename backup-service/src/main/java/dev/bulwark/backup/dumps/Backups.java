package dev.bulwark.backup.dumps;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Reads the logical backups in storage: a backup is a manifest; a dump without one is not. */
@ApplicationScoped
public class Backups {

  static final String MANIFEST = "manifest.json";

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
          .map(this::read)
          .sorted(
              Comparator.comparing(BackupManifest::startedAt)
                  .thenComparing(BackupManifest::backupId)
                  .reversed())
          .toList();
    }
  }

  static String prefixOf(String target) {
    return "backups/" + target + "/";
  }

  private BackupManifest read(ObjectKey key) {
    try (InputStream in = storage.get(key)) {
      return ManifestJson.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest " + key, e);
    }
  }
}
