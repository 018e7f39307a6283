package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.storage.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one layout of base backups: {@code pitr/<target>/base/<backupId>/} holds the tar in pieces
 * {@code base-00000.tar.zst.age}, {@code base-00001.tar.zst.age}, ... (each a complete tar archive;
 * backups taken before pieces hold one {@code base.tar.zst.age}) and {@code
 * backup_manifest.zst.age}, then {@code manifest.json}, written last.
 */
public final class BaseBackupObjects {

  /** The one tar of a base backup taken before pieces; still restored. */
  public static final String BASE_TAR = "base.tar.zst.age";

  public static final String PG_MANIFEST = "backup_manifest.zst.age";
  public static final String MANIFEST = "manifest.json";

  private static final Pattern PIECE = Pattern.compile("base-(\\d{5,})\\.tar\\.zst\\.age");

  private BaseBackupObjects() {}

  /** The file name of tar piece {@code index} (from 0). */
  public static String piece(int index) {
    return String.format("base-%05d.tar.zst.age", index);
  }

  /**
   * The tar pieces among a backup's stored objects, in the order pg_basebackup wrote them: {@link
   * #BASE_TAR} alone for a backup taken before pieces.
   */
  public static List<String> pieces(Iterable<String> objectNames) {
    List<String> pieces = new ArrayList<>();
    for (String name : objectNames) {
      if (name.equals(BASE_TAR) || PIECE.matcher(name).matches()) {
        pieces.add(name);
      }
    }
    pieces.sort(Comparator.comparingLong(BaseBackupObjects::pieceNumber));
    return pieces;
  }

  private static long pieceNumber(String name) {
    Matcher m = PIECE.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

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

  /**
   * Deletion order: the manifest first, so that a deletion cut short leaves nothing listed, then
   * every object it records.
   */
  public static List<ObjectKey> deletionOrder(BaseBackupManifest backup) {
    List<ObjectKey> keys = new ArrayList<>();
    keys.add(keyOf(backup.target(), backup.backupId(), MANIFEST));
    keys.add(keyOf(backup.target(), backup.backupId(), PG_MANIFEST));
    for (String name : backup.objects().keySet()) {
      if (!name.equals(PG_MANIFEST)) {
        keys.add(keyOf(backup.target(), backup.backupId(), name));
      }
    }
    return keys;
  }
}
