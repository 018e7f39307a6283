package dev.bulwark.backup.dumps;

import dev.bulwark.backup.storage.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one layout of a logical backup's objects: {@code backups/<target>/<backup-id>/} holds {@code
 * dump.age}, then {@code manifest.json} (the backup exists once it does) and later {@code
 * verification.json}.
 */
public final class BackupObjects {

  public static final String DUMP = "dump.age";
  public static final String MANIFEST = "manifest.json";
  public static final String VERIFICATION = "verification.json";

  private BackupObjects() {}

  /** The prefix of every object of {@code target}'s backups. */
  public static String prefixOf(String target) {
    return "backups/" + target + "/";
  }

  /** The prefix of one backup's objects. */
  public static String prefixOf(String target, String backupId) {
    return prefixOf(target) + backupId + "/";
  }

  /** The key of {@code file} (one of the names above) of one backup. */
  public static ObjectKey keyOf(String target, String backupId, String file) {
    return ObjectKey.of(prefixOf(target, backupId) + file);
  }

  /** The backup id an object of {@code target} belongs to, or empty when it is outside any. */
  public static Optional<String> backupIdOf(String target, ObjectKey key) {
    String rest = key.value().substring(prefixOf(target).length());
    int slash = rest.indexOf('/');
    return slash > 0 ? Optional.of(rest.substring(0, slash)) : Optional.empty();
  }

  /** Whether {@code key} is a backup's manifest, the object that makes the backup exist. */
  public static boolean isManifest(ObjectKey key) {
    return key.value().endsWith("/" + MANIFEST);
  }

  /**
   * The backup's known objects in the order they are deleted: the manifest first (from then on the
   * backup does not exist), then its verification, then the dump, so that a deletion cut short
   * leaves at worst a dump without a manifest, which is never listed and later swept.
   */
  public static List<ObjectKey> deletionOrder(BackupManifest backup) {
    List<ObjectKey> keys = new ArrayList<>();
    keys.add(keyOf(backup.target(), backup.backupId(), MANIFEST));
    keys.add(keyOf(backup.target(), backup.backupId(), VERIFICATION));
    // Only inside the backup's own prefix: a manifest must never make retention delete elsewhere.
    if (backup.dumpKey().startsWith(prefixOf(backup.target(), backup.backupId()))) {
      keys.add(ObjectKey.of(backup.dumpKey()));
    }
    return keys;
  }
}
