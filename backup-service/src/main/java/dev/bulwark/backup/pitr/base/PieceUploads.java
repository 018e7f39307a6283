package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.crypto.AgeRecipient;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.EncryptedBackupOutput;
import dev.bulwark.backup.crypto.KeepOpenOutputStream;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Stores the tar pieces of one base backup, each compressed and encrypted on a thread of its own,
 * at most {@code parallelism} at a time: while one piece's zstd and age finish, the next piece is
 * already being read. The first failure of any piece is thrown to the next {@link #open} or to
 * {@link #await}; the caller then deletes {@link #keys()}.
 */
final class PieceUploads implements TarPieceCutter.Pieces {

  private final ObjectStorage storage;
  private final IntFunction<ObjectKey> keyOf;
  private final AgeRecipient recipient;
  private final ZstdSettings zstd;
  private final Semaphore slots;
  private final List<Upload> uploads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  PieceUploads(
      ObjectStorage storage,
      IntFunction<ObjectKey> keyOf,
      AgeRecipient recipient,
      ZstdSettings zstd,
      int parallelism) {
    this.storage = storage;
    this.keyOf = keyOf;
    this.recipient = recipient;
    this.zstd = zstd;
    this.slots = new Semaphore(parallelism);
  }

  private record Upload(
      int index, ObjectKey key, PiecePipe pipe, Thread thread, AtomicReference<StoredPiece> done) {}

  /** One stored piece: its key and totals. */
  record StoredPiece(ObjectKey key, BaseBackupManifest.StoredPart part) {}

  @Override
  public OutputStream open(int index) throws IOException {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a piece's upload");
    }
    rethrow();
    ObjectKey key = keyOf.apply(index);
    PiecePipe pipe = new PiecePipe();
    AtomicReference<StoredPiece> done = new AtomicReference<>();
    Thread thread = new Thread(() -> store(key, pipe, done), "base-backup-piece-" + index);
    thread.setDaemon(true);
    uploads.add(new Upload(index, key, pipe, thread, done));
    thread.start();
    return pipe.sink();
  }

  private void store(ObjectKey key, PiecePipe pipe, AtomicReference<StoredPiece> done) {
    try (InputStream piece = pipe.source()) {
      storage.put(
          key,
          out -> {
            EncryptedBackupOutput encrypted =
                BackupStreams.encrypt(new KeepOpenOutputStream(out), recipient, zstd);
            try (encrypted) {
              piece.transferTo(encrypted);
            }
            var totals = encrypted.totals();
            done.set(
                new StoredPiece(
                    key,
                    new BaseBackupManifest.StoredPart(
                        totals.rawBytes(), totals.storedBytes(), totals.storedSha256())));
          });
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
      done.set(null);
    } finally {
      slots.release();
    }
  }

  /** Every key a piece was started under, stored or not: what a failed backup deletes. */
  List<ObjectKey> keys() {
    return uploads.stream().map(Upload::key).toList();
  }

  /**
   * Waits for every piece to be stored; the stored pieces by index order.
   *
   * @throws IOException the first piece's failure
   */
  Map<String, BaseBackupManifest.StoredPart> await() throws IOException {
    join();
    rethrow();
    Map<String, BaseBackupManifest.StoredPart> parts = new LinkedHashMap<>();
    for (Upload upload : uploads) {
      StoredPiece stored = upload.done().get();
      if (stored == null) {
        throw new IOException("piece " + upload.index() + " was not stored");
      }
      parts.put(BaseBackupObjects.piece(upload.index()), stored.part());
    }
    return parts;
  }

  /** Stops every piece still being stored, publishing none of them, and waits for them. */
  void abort(IOException cause) {
    for (Upload upload : uploads) {
      upload.pipe().fail(cause);
    }
    try {
      join();
    } catch (InterruptedIOException e) {
      // The pieces stop on their own once their pipes fail; the caller deletes their keys.
    }
  }

  private void join() throws InterruptedIOException {
    for (Upload upload : uploads) {
      try {
        upload.thread().join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while pieces were stored");
      }
    }
  }

  /**
   * Throws the first piece's failure, if one failed, with {@code seen} (what the stream threw
   * because of it) suppressed; it stops the pieces still running first.
   */
  void throwFirstFailure(Exception seen) throws IOException {
    if (failure.get() == null) {
      return;
    }
    abort(new IOException("another piece failed"));
    try {
      rethrow();
    } catch (IOException | RuntimeException e) {
      if (e != seen) {
        e.addSuppressed(seen);
      }
      throw e;
    }
  }

  private void rethrow() throws IOException {
    Throwable e = failure.get();
    if (e == null) {
      return;
    }
    if (e instanceof IOException io) {
      throw new IOException("storing a piece of the base backup failed: " + io.getMessage(), io);
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
    throw new IOException(e);
  }
}
