package dev.bulwark.backup.restore;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.DecryptedBackupInput;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.subprocess.ChildProcesses;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restores a stored backup into a database: the object streams from storage through a SHA-256
 * digest and byte counter, age and zstd into a {@code pg_restore} subprocess, with memory flat for
 * any size. Verification and restore both run it. Blocking: run it on a worker.
 */
@ApplicationScoped
public class RestorePipeline {

  /** The end of pg_restore's stderr kept in errors; --exit-on-error puts the error there. */
  static final int MAX_STDERR = 4000;

  private static final String TABLE_DATA = "pg_restore: processing data for table ";

  private final ObjectStorage storage;
  private final AgeKeyring keyring;
  private final PgDumpBinary binaries;

  public RestorePipeline(ObjectStorage storage, AgeKeyring keyring, PgDumpBinary binaries) {
    this.storage = storage;
    this.keyring = keyring;
    this.binaries = binaries;
  }

  /**
   * Checks that an identity for the backup's key is configured; run it before any other work.
   *
   * @throws KeyNotAvailable naming the key id the backup needs
   */
  public void requireKey(BackupManifest manifest) {
    List<String> configured =
        keyring.identities().stream().map(i -> i.recipient().keyId()).toList();
    if (!configured.contains(manifest.ageRecipient())) {
      throw new KeyNotAvailable(
          manifest.target(), manifest.backupId(), manifest.ageRecipient(), configured);
    }
  }

  /**
   * Restores {@code manifest}'s dump into {@code database} on {@code server} (major version {@code
   * serverMajor}), which must exist. A backup that fails its checks or a pg_restore that fails is
   * an outcome, not an exception.
   *
   * @param clean drop the backup's objects before creating them ({@code --clean --if-exists})
   * @throws dev.bulwark.backup.storage.StorageUnavailable when storage fails while reading
   * @throws dev.bulwark.backup.storage.ObjectNotFound when the dump object is gone
   */
  public RestoreOutcome run(
      BackupManifest manifest,
      DatabaseServer server,
      int serverMajor,
      String database,
      boolean clean,
      RestoreProgress progress)
      throws IOException {
    int archiveMajor = manifest.serverVersionNum() / 10000;
    // New enough for both: pg_restore reads older archives and restores into older servers.
    Path pgRestore = binaries.pgRestoreForMajor(Math.max(archiveMajor, serverMajor));
    List<String> command = new ArrayList<>();
    command.add(pgRestore.toString());
    command.addAll(
        List.of(
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--verbose",
            "--no-password",
            "--host=" + server.host(),
            "--port=" + server.port(),
            "--dbname=" + database));
    server.username().ifPresent(u -> command.add("--username=" + u));
    if (clean) {
      command.addAll(List.of("--clean", "--if-exists"));
    }
    ProgressTracker tracker =
        new ProgressTracker(progress, manifest.storedBytes(), manifest.rowCounts().size());
    Path stderr = Files.createTempFile("pg_restore-", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      ChildProcesses.withPassword(builder, server.password());
      Process process = builder.start();
      AtomicReference<IOException> stderrLost = new AtomicReference<>();
      Thread stderrReader = readStderr(process, stderr, tracker, stderrLost);
      Streamed streamed;
      try {
        streamed = stream(manifest, process, tracker);
      } catch (IOException | RuntimeException e) {
        process.toHandle().destroyForcibly();
        awaitExit(process, stderrReader);
        throw e;
      }
      int exit = awaitExit(process, stderrReader);
      List<String> mismatches = new ArrayList<>();
      streamed.storedSha256().ifPresent(sha -> checkStored(manifest, streamed, sha, mismatches));
      streamed.decryptionFailure().ifPresent(mismatches::add);
      Optional<PgRestoreExit> failure = Optional.empty();
      // A pg_restore this pipeline stopped failed for the reason above, not its own.
      if (exit != 0 && streamed.decryptionFailure().isEmpty()) {
        String tail = PgRestoreStderr.tail(stderr, MAX_STDERR);
        if (stderrLost.get() != null) {
          tail += " (the rest of stderr was lost: " + stderrLost.get().getMessage() + ")";
        }
        failure = Optional.of(new PgRestoreExit(exit, tail));
      }
      if (exit == 0 && streamed.storedSha256().isEmpty() && mismatches.isEmpty()) {
        // pg_restore stopped reading yet succeeded: the rest of the object was never checked.
        mismatches.add(
            "pg_restore exited after reading "
                + streamed.bytesRead()
                + " of "
                + manifest.storedBytes()
                + " stored bytes; the rest was not checked");
      }
      if (exit == 0 && mismatches.isEmpty()) {
        tracker.finished();
      }
      return new RestoreOutcome(streamed.bytesRead(), tracker.tablesDone(), mismatches, failure);
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  /**
   * What was streamed: the stored object's hash once it was read to its end (not when pg_restore
   * stopped reading first), and why it did not decrypt.
   */
  private record Streamed(
      long bytesRead, Optional<String> storedSha256, Optional<String> decryptionFailure) {}

  private Streamed stream(BackupManifest manifest, Process process, ProgressTracker tracker)
      throws IOException {
    ObjectKey key = ObjectKey.of(manifest.dumpKey());
    List<AgeIdentity> identities = keyring.identities();
    try (InputStream object = storage.get(key)) {
      StoredBytes stored = new StoredBytes(object, storage.location(), key, tracker);
      DecryptedBackupInput dump = null;
      Optional<String> decryptionFailure = Optional.empty();
      boolean pgRestoreStopped = false;
      try (OutputStream stdin = process.getOutputStream()) {
        dump = BackupStreams.decrypt(stored, identities);
        byte[] buffer = new byte[64 * 1024];
        while (true) {
          int n;
          try {
            n = dump.read(buffer);
          } catch (IOException e) {
            decryptionFailure = Optional.of(decryptionFailure(e));
            break;
          }
          if (n < 0) {
            break;
          }
          try {
            stdin.write(buffer, 0, n);
          } catch (IOException e) {
            // pg_restore exited: its status and stderr say why.
            pgRestoreStopped = true;
            break;
          }
        }
        if (decryptionFailure.isPresent()) {
          // Whatever it restored so far is not the backup: stop it before it commits more.
          stop(process);
        }
      } catch (IOException e) {
        if (dump == null) {
          decryptionFailure = Optional.of(decryptionFailure(e));
          stop(process);
        } else if (decryptionFailure.isEmpty()) {
          // Closing stdin of a pg_restore that already exited: its status says why.
          pgRestoreStopped = true;
        }
      }
      try {
        if (pgRestoreStopped) {
          return new Streamed(stored.count(), Optional.empty(), decryptionFailure);
        }
        // After a decryption failure too: the hash tells a changed object from a wrong manifest.
        stored.drain();
        return new Streamed(stored.count(), Optional.of(stored.sha256()), decryptionFailure);
      } finally {
        if (dump != null) {
          dump.close(); // frees zstd's native buffers; the storage stream closes above
        }
      }
    }
  }

  // Through its handle: Process.destroy() would also close the stderr pipe its reader still drains.
  private static void stop(Process process) {
    process.toHandle().destroy();
  }

  private static String decryptionFailure(IOException e) {
    return "the stored object does not decrypt: " + e.getMessage();
  }

  private static void checkStored(
      BackupManifest manifest, Streamed streamed, String sha256, List<String> mismatches) {
    if (!sha256.equals(manifest.storedSha256())) {
      mismatches.add(
          "the stored object's SHA-256 is "
              + sha256
              + ", the manifest says "
              + manifest.storedSha256());
    }
    if (streamed.bytesRead() != manifest.storedBytes()) {
      mismatches.add(
          "the stored object has "
              + streamed.bytesRead()
              + " bytes, the manifest says "
              + manifest.storedBytes());
    }
  }

  // pg_restore's stderr goes to a file as it comes, and its data lines count tables for progress.
  private static Thread readStderr(
      Process process, Path file, ProgressTracker tracker, AtomicReference<IOException> lost) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
                  BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                  out.write(line);
                  out.newLine();
                  if (line.startsWith(TABLE_DATA)) {
                    tracker.tableStarted();
                  }
                }
              } catch (IOException e) {
                // Only diagnostics are lost: the tail says so instead of the thread dying loudly.
                lost.set(e);
              }
            },
            "pg_restore-stderr");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private static int awaitExit(Process process, Thread stderrReader) throws IOException {
    try {
      int exit = process.waitFor();
      stderrReader.join();
      return exit;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for pg_restore");
    }
  }
}
