package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.storage.ObjectKey;
import java.util.List;
import java.util.Optional;

/**
 * The one layout of base backups: {@code pitr/<target>/base/<backupId>/} holds {@code
 * base.tar.zst.age} and {@code backup_manifest.zst.age}, then {@code manifest.json}, written last.
 */
public final class BaseBackupObjects {

  public static final String BASE_TAR = "base.tar.zst.age";
  public static final String PG_MANIFEST = "backup_manifest.zst.age";
  public static final String MANIFEST = "manifest.json";

  private BaseBackupObjects() {}

  /** The prefix of every base backup object of {@code target}. */
  public static String prefixOf(String target) {
    return "pitr/" + target + "/base/";
  }

  public static ObjectKey keyOf(String target, String backupId, String file) {
    return ObjectKey.of(prefixOf(target) + backupId + "/" + file);
  }

  /** The backup id an object belongs to, or empty when it is outside any. */
  public static Optional<String> backupIdOf(String target, ObjectKey key) {
    String rest = key.value().substring(prefixOf(target).length());
    int slash = rest.indexOf('/');
    return slash > 0 ? Optional.of(rest.substring(0, slash)) : Optional.empty();
  }

  /** Deletion order: the manifest first, so that a deletion cut short leaves nothing listed. */
  public static List<ObjectKey> deletionOrder(String target, String backupId) {
    return List.of(
        keyOf(target, backupId, MANIFEST),
        keyOf(target, backupId, PG_MANIFEST),
        keyOf(target, backupId, BASE_TAR));
  }
}
