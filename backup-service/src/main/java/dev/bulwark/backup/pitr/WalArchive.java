package dev.bulwark.backup.pitr;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeRecipient;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.DecryptedBackupInput;
import dev.bulwark.backup.crypto.EncryptedBackupOutput;
import dev.bulwark.backup.crypto.KeepOpenOutputStream;
import dev.bulwark.backup.dumps.RecipientMissing;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The WAL of PITR targets in object storage: {@code pitr/<target>/wal/<name>.zst.age}, each file
 * zstd-compressed then age-encrypted to the configured recipient like the dumps. Names are segments
 * ({@code 000000010000000000000003}), timeline history files ({@code 00000002.history}) and the one
 * newest partial segment ({@code 000000010000000000000004.partial}), which is replaced as it grows
 * and deleted once its complete segment is stored. Blocking: call it on a worker.
 */
@ApplicationScoped
public class WalArchive {

  static final String SUFFIX = ".zst.age";
  static final String PARTIAL = ".partial";
  private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");
  private static final int READ = 256 * 1024;

  private final ObjectStorage storage;
  private final AgeKeyring keyring;

  @Inject
  public WalArchive(ObjectStorage storage, AgeKeyring keyring) {
    this.storage = storage;
    this.keyring = keyring;
  }

  /** The prefix of every WAL object of {@code target}. */
  public static String prefixOf(String target) {
    return "pitr/" + target + "/wal/";
  }

  /** The key a WAL file of {@code target} is stored under. */
  public static ObjectKey keyOf(String target, String walFileName) {
    checkName(walFileName);
    return ObjectKey.of(prefixOf(target) + walFileName + SUFFIX);
  }

  /** Whether {@code walFileName} names a partial segment ({@code <segment>.partial}). */
  public static boolean isPartial(String walFileName) {
    return walFileName.endsWith(PARTIAL);
  }

  /** Whether {@code walFileName} names a timeline history file. */
  public static boolean isHistory(String walFileName) {
    return HISTORY.matcher(walFileName).matches();
  }

  /**
   * Stores a complete segment or a {@code .history} file under its file name, and then drops the
   * segment's partial, which it supersedes.
   *
   * @throws InvalidWalFileName when the file's name is neither
   * @throws RecipientMissing when no age recipient is configured
   */
  public StoredObject putSegment(String target, Path file) throws IOException {
    String name = file.getFileName().toString();
    if (!WalSegmentName.isSegmentName(name) && !isHistory(name)) {
      throw new InvalidWalFileName(name);
    }
    StoredObject stored = put(keyOf(target, name), file);
    if (WalSegmentName.isSegmentName(name)) {
      storage.delete(keyOf(target, name + PARTIAL));
    }
    return stored;
  }

  /**
   * Stores the growing segment {@code <segment>.partial}, replacing the one stored before (of this
   * segment or an older one): a restore reaches the last record it holds.
   *
   * @throws InvalidWalFileName when the file's name is not {@code <segment>.partial}
   */
  public StoredObject putPartial(String target, Path partialFile) throws IOException {
    String name = partialFile.getFileName().toString();
    if (!isPartial(name)
        || !WalSegmentName.isSegmentName(name.substring(0, name.length() - PARTIAL.length()))) {
      throw new InvalidWalFileName(name);
    }
    StoredObject stored = put(keyOf(target, name), partialFile);
    // Only the newest partial is kept: older ones were superseded by complete segments or this.
    for (String older : list(target)) {
      if (isPartial(older) && !older.equals(name)) {
        storage.delete(keyOf(target, older));
      }
    }
    return stored;
  }

  /**
   * Decrypts and decompresses a stored WAL file into {@code destination}, which appears whole or
   * not at all.
   *
   * @throws dev.bulwark.backup.storage.ObjectNotFound when it is not stored
   */
  public void fetch(String target, String walFileName, Path destination) throws IOException {
    ObjectKey key = keyOf(target, walFileName);
    Path absolute = destination.toAbsolutePath();
    Path temporary =
        Files.createTempFile(absolute.getParent(), "." + walFileName + "-", ".fetching");
    try {
      try (InputStream stored = storage.get(key);
          DecryptedBackupInput raw = BackupStreams.decrypt(stored, keyring.identities());
          OutputStream out = Files.newOutputStream(temporary)) {
        byte[] buffer = new byte[READ];
        for (int n; (n = raw.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      }
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * The stored WAL file names of {@code target} in order: by timeline and position, each timeline's
   * {@code .history} before its segments, a partial (suffix {@code .partial}) after the complete
   * segment of the same name.
   */
  public List<String> list(String target) {
    try (Stream<StoredObject> objects = storage.list(prefixOf(target))) {
      return objects
          .map(o -> o.key().value().substring(prefixOf(target).length()))
          .filter(n -> n.endsWith(SUFFIX))
          .map(n -> n.substring(0, n.length() - SUFFIX.length()))
          .filter(WalArchive::isWalFileName)
          .sorted()
          .toList();
    }
  }

  /** Deletes a stored WAL file; deleting a missing one is not an error. */
  public void delete(String target, String walFileName) {
    storage.delete(keyOf(target, walFileName));
  }

  /** Where the archive lives, for messages. */
  public String location() {
    return storage.location();
  }

  private StoredObject put(ObjectKey key, Path file) throws IOException {
    AgeRecipient recipient = keyring.recipient().orElseThrow(RecipientMissing::new);
    return storage.put(
        key,
        out -> {
          try (EncryptedBackupOutput encrypted =
                  BackupStreams.encrypt(new KeepOpenOutputStream(out), recipient, keyring.zstd());
              InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[READ];
            for (int n; (n = in.read(buffer)) >= 0; ) {
              encrypted.write(buffer, 0, n);
            }
          }
        });
  }

  private static boolean isWalFileName(String name) {
    String base = isPartial(name) ? name.substring(0, name.length() - PARTIAL.length()) : name;
    return WalSegmentName.isSegmentName(base) || (!isPartial(name) && isHistory(name));
  }

  private static void checkName(String name) {
    if (!isWalFileName(name)) {
      throw new InvalidWalFileName(name);
    }
  }
}
