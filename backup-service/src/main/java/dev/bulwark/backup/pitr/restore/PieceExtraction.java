package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.DecryptedBackupInput;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.backup.pitr.base.BaseBackupObjects;
import dev.bulwark.backup.storage.ObjectNotFound;
import dev.bulwark.backup.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Extracts a base backup's tar pieces into a data directory, {@code parallelism} at a time: each
 * piece is read from storage, decrypted and decompressed on a thread of its own into a {@code tar
 * -x} run as the server user, the biggest pieces first so that the last ones to finish are small. A
 * piece whose stored SHA-256 is not the manifest's fails, naming the piece; the first failure stops
 * the other pieces.
 */
final class PieceExtraction {

  private final ObjectStorage storage;
  private final List<AgeIdentity> identities;
  private final int parallelism;

  PieceExtraction(ObjectStorage storage, List<AgeIdentity> identities, int parallelism) {
    this.storage = storage;
    this.identities = identities;
    this.parallelism = parallelism;
  }

  /**
   * Checks that every piece is stored, before anything is fetched.
   *
   * @throws RecoveryFailed naming the first missing piece
   */
  void checkStored(BaseBackupManifest base) {
    List<String> pieces = base.tarPieces();
    if (pieces.isEmpty()) {
      throw new RecoveryFailed(
          "base backup " + base.backupId() + " records no tar in its manifest.json");
    }
    for (String piece : pieces) {
      if (storage.head(BaseBackupObjects.keyOf(base.target(), base.backupId(), piece)).isEmpty()) {
        throw new RecoveryFailed(
            "piece " + piece + " of base backup " + base.backupId() + " is missing from storage");
      }
    }
  }

  /**
   * Extracts every piece into {@code data}, which exists, owned by the server user.
   *
   * @throws RecoveryFailed naming the piece that failed
   * @throws dev.bulwark.backup.storage.StorageUnavailable as it is, when storage failed on the way
   */
  Map<String, TarFileChecksums.FileSum> extract(BaseBackupManifest base, Path data) {
    Map<String, TarFileChecksums.FileSum> sums = new ConcurrentHashMap<>();
    Map<String, BaseBackupManifest.StoredPart> objects = base.objects();
    List<String> biggestFirst = new ArrayList<>(base.tarPieces());
    biggestFirst.sort(Comparator.comparingLong((String p) -> objects.get(p).rawBytes()).reversed());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    ConcurrentLinkedQueue<Process> running = new ConcurrentLinkedQueue<>();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            Math.min(parallelism, biggestFirst.size()),
            r -> {
              Thread thread = new Thread(r, "pitr-extract");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String piece : biggestFirst) {
        done.add(
            workers.submit(
                () -> {
                  if (failure.get() != null) {
                    return; // another piece failed: the restore is over
                  }
                  try {
                    extractOne(base, piece, objects.get(piece), data, running, sums);
                  } catch (RuntimeException e) { // a piece failed, or storage did
                    if (failure.compareAndSet(null, e)) {
                      // The other pieces' tar processes end, and their copies fail with them.
                      running.forEach(Process::destroy);
                    }
                  }
                }));
      }
      for (Future<?> each : done) {
        each.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.forEach(Process::destroy);
      throw new RecoveryFailed("interrupted while extracting");
    } catch (ExecutionException e) {
      throw new RecoveryFailed(
          "extracting base backup " + base.backupId() + " failed: " + e.getCause());
    } finally {
      workers.shutdownNow();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return sums;
  }

  private static String tarOutput(Process tar, Path output) throws IOException {
    try {
      tar.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Files.readString(output, StandardCharsets.UTF_8).strip();
  }

  private void extractOne(
      BaseBackupManifest base,
      String piece,
      BaseBackupManifest.StoredPart expected,
      Path data,
      ConcurrentLinkedQueue<Process> running,
      Map<String, TarFileChecksums.FileSum> sums) {
    String what = "piece " + piece + " of base backup " + base.backupId();
    Path output = null;
    Process tar = null;
    try {
      output = Files.createTempFile("pitr-tar-", ".out");
      tar =
          new ProcessBuilder(
                  ServerCommands.asServerUser(
                      List.of("tar", "-x", "-f", "-", "-C", data.toString())))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      running.add(tar);
      String sha256;
      try (InputStream stored =
              storage.get(BaseBackupObjects.keyOf(base.target(), base.backupId(), piece));
          DecryptedBackupInput raw = BackupStreams.decrypt(stored, identities);
          OutputStream in = new TarFileChecksums(tar.getOutputStream(), sums)) {
        byte[] buffer = new byte[256 * 1024];
        for (int n; (n = raw.read(buffer)) >= 0; ) {
          try {
            in.write(buffer, 0, n);
          } catch (IOException tarStopped) {
            // tar stopped reading: its own message says why.
            throw new RecoveryFailed(
                "tar could not extract " + what + ": " + tarOutput(tar, output));
          }
        }
        sha256 = raw.totals().storedSha256();
      }
      int exit = tar.waitFor();
      if (exit != 0) {
        throw new RecoveryFailed("tar could not extract " + what + ": " + tarOutput(tar, output));
      }
      if (expected != null && !expected.storedSha256().equals(sha256)) {
        throw new RecoveryFailed(
            what + " is not the piece its manifest.json records (SHA-256 differs)");
      }
    } catch (ObjectNotFound e) {
      throw new RecoveryFailed(what + " is missing from storage");
    } catch (IOException e) {
      throw new RecoveryFailed("cannot extract " + what + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RecoveryFailed("interrupted while extracting " + what);
    } finally {
      if (tar != null) {
        running.remove(tar);
        tar.destroy();
      }
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a temporary file of a few lines
        }
      }
    }
  }
}
