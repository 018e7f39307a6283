package dev.bulwark.backup.crypto;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Composes a backup's streams: raw → zstd → age → storage when writing, storage → age → zstd → raw
 * when reading, hashing and counting the stored bytes on the way. Memory stays flat: each stage
 * holds one buffer, never the dump.
 */
public final class BackupStreams {

  private BackupStreams() {}

  /**
   * A stream that compresses and encrypts what is written into {@code storage}; closing it closes
   * {@code storage}. The file decrypts with {@code age -d -i key.txt | zstd -d}.
   */
  public static EncryptedBackupOutput encrypt(
      OutputStream storage, AgeRecipient recipient, ZstdSettings zstd) throws IOException {
    MessageDigest digest = sha256();
    CountingOutputStream stored = new CountingOutputStream(storage);
    AgeEncryptingOutputStream age =
        new AgeEncryptingOutputStream(new DigestOutputStream(stored, digest), recipient);
    // Encryption, hashing and upload run on a thread of their own, beside compression.
    ZstdOutputStream compressing =
        new ZstdOutputStream(new HandOffOutputStream(age, "backup-encrypt"), zstd.level());
    // A content checksum lets `zstd -d` vouch for the dump on its own, beside age's tags.
    compressing.setChecksum(true);
    if (zstd.workers() > 0) {
      compressing.setWorkers(zstd.workers());
    }
    return new EncryptedBackupOutput(compressing, stored, digest);
  }

  /** A stream of the raw dump read from {@code stored}, authenticated chunk by chunk. */
  public static DecryptedBackupInput decrypt(InputStream stored, List<AgeIdentity> identities)
      throws IOException {
    MessageDigest digest = sha256();
    CountingInputStream counted = new CountingInputStream(new DigestInputStream(stored, digest));
    AgeDecryptingInputStream age = new AgeDecryptingInputStream(counted, identities);
    return new DecryptedBackupInput(new ZstdInputStream(age), age, counted, digest);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
