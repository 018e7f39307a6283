package dev.bulwark.backup.mirror;

import dev.bulwark.backup.exported.MirrorMetrics;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectNotFound;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.backup.store.MirrorStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Copies a mirror's new and changed source objects to its destination, blocking (run it on a worker
 * thread). An object is copied when the destination lacks it, its size differs there, or the
 * source's ETag (its last-modified time where it has none) differs from what was recorded when it
 * was last copied. Each copy is recorded right after its put returns, so a run that is killed
 * resumes where it stopped.
 */
@ApplicationScoped
public class BucketMirror {

  static final int MAX_ERRORS = 10;
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);

  private final Mirrors mirrors;
  private final MirrorStore store;
  private final MirrorMetrics metrics;
  private final Clock clock;

  public BucketMirror(Mirrors mirrors, MirrorStore store, MirrorMetrics metrics, Clock clock) {
    this.mirrors = mirrors;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Runs the mirror called {@code name} once; callers run one at a time per mirror ({@link
   * MirrorJobs}' exclusive key).
   *
   * @throws MirrorNotFound when no mirror has that name
   * @throws MirrorStopped when a storage became unreachable or the thread was interrupted midway
   * @throws StorageUnavailable when a storage cannot be listed
   */
  public MirrorReport run(String name, MirrorProgress progress) {
    Mirror mirror = mirrors.named(name);
    Instant startedAt = clock.instant();
    try {
      MirrorReport report = new Run(mirror, startedAt, progress).copy();
      recordRun(report, Optional.of(report.objectsPending()));
      return report;
    } catch (MirrorStopped e) {
      recordRunAfterFailure(e, e.report(), Optional.of(e.report().objectsPending()));
      throw e;
    } catch (RuntimeException e) {
      MirrorReport nothing =
          new MirrorReport(name, startedAt, clock.instant(), 0, 0, 0, 0, 0, 0, List.of());
      recordRunAfterFailure(e, nothing, Optional.empty());
      throw e;
    }
  }

  private void recordRun(MirrorReport report, Optional<Long> pending) {
    await(
        store.recordRun(
            new MirrorRun(
                report.mirror(),
                report.startedAt(),
                report.finishedAt(),
                report.complete() ? Optional.of(report.finishedAt()) : Optional.empty(),
                report.objectsFailed(),
                pending)));
  }

  private void recordRunAfterFailure(
      RuntimeException failure, MirrorReport report, Optional<Long> pending) {
    // An interrupted run still records how far it got; the flag is restored for the caller.
    boolean interrupted = Thread.interrupted();
    try {
      recordRun(report, pending);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(SQL_TIMEOUT);
  }

  /** One run's state. */
  private final class Run {
    private final Mirror mirror;
    private final Instant startedAt;
    private final MirrorProgress progress;
    private final List<String> errors = new ArrayList<>();
    private long scanned;
    private long copied;
    private long bytes;
    private long pending;
    private long failed;
    private long deleted;

    Run(Mirror mirror, Instant startedAt, MirrorProgress progress) {
      this.mirror = mirror;
      this.startedAt = startedAt;
      this.progress = progress;
    }

    MirrorReport copy() {
      Map<String, CopiedObject> recorded = await(store.copied(mirror.name()));
      Map<ObjectKey, StoredObject> atDestination = new HashMap<>();
      try (Stream<StoredObject> listing = mirror.destination().list("")) {
        listing.forEach(o -> atDestination.put(o.key(), o));
      }
      Set<ObjectKey> inSource = new HashSet<>();
      List<StoredObject> toCopy = new ArrayList<>();
      try (Stream<StoredObject> listing = mirror.source().list("")) {
        listing.forEach(
            o -> {
              scanned++;
              inSource.add(o.key());
              CopiedObject last = recorded.get(o.key().value());
              StoredObject there = atDestination.get(o.key());
              if (needsCopy(o, there, last)) {
                if (last == null && sameContent(o, there)) {
                  // Already there (an earlier copy whose record was lost): record, do not copy.
                  record(o);
                } else {
                  toCopy.add(o);
                }
              }
            });
      }
      pending = toCopy.size();
      progress.update(copied, bytes, pending);
      for (StoredObject object : toCopy) {
        if (Thread.currentThread().isInterrupted()) {
          throw new MirrorStopped(report(), "the run was interrupted");
        }
        copyOne(object);
        pending--;
        progress.update(copied, bytes, pending);
      }
      deleteExtraneous(atDestination, inSource);
      await(
          store.forget(
              mirror.name(),
              recorded.keySet().stream()
                  .filter(key -> !inSource.contains(ObjectKey.of(key)))
                  .toList()));
      return report();
    }

    private void copyOne(StoredObject object) {
      try (InputStream in = mirror.source().get(object.key())) {
        StoredObject written = mirror.destination().put(object.key(), in);
        // The source's view, not the destination's: the next run compares the source with it.
        record(object);
        copied++;
        bytes += written.size();
        metrics.copied(mirror.name(), written.size());
      } catch (ObjectNotFound gone) {
        // Deleted at the source since it was listed: nothing to copy.
      } catch (IOException | StorageUnavailable e) {
        stopIfUnreachable(mirror.source());
        stopIfUnreachable(mirror.destination());
        failed(object.key(), e);
      }
    }

    private void record(StoredObject object) {
      await(
          store.recordCopy(
              mirror.name(),
              new CopiedObject(
                  object.key().value(),
                  object.size(),
                  object.etag(),
                  object.lastModified(),
                  clock.instant())));
    }

    private void deleteExtraneous(
        Map<ObjectKey, StoredObject> atDestination, Set<ObjectKey> inSource) {
      if (!mirror.deleteExtraneous()) {
        return;
      }
      List<ObjectKey> extraneous =
          atDestination.keySet().stream().filter(key -> !inSource.contains(key)).sorted().toList();
      if (inSource.isEmpty() && !extraneous.isEmpty()) {
        // An empty source is more often a wrong URL or credentials than a deliberate wipe.
        errors.add("the source listed no objects: nothing was deleted at the destination");
        return;
      }
      for (ObjectKey key : extraneous) {
        try {
          mirror.destination().delete(key);
          deleted++;
        } catch (StorageUnavailable e) {
          stopIfUnreachable(mirror.destination());
          failed(key, e);
        }
      }
    }

    private void stopIfUnreachable(ObjectStorage storage) {
      try (Stream<StoredObject> probe = storage.list("")) {
        probe.findFirst();
      } catch (StorageUnavailable e) {
        throw new MirrorStopped(report(), e.getMessage());
      }
    }

    private void failed(ObjectKey key, Exception e) {
      failed++;
      if (errors.size() < MAX_ERRORS) {
        errors.add(key + ": " + e.getMessage());
      }
    }

    private MirrorReport report() {
      return new MirrorReport(
          mirror.name(),
          startedAt,
          clock.instant(),
          scanned,
          copied,
          bytes,
          pending,
          failed,
          deleted,
          errors);
    }
  }

  /** Whether the destination lacks {@code source} or holds an older version of it. */
  static boolean needsCopy(StoredObject source, StoredObject there, CopiedObject last) {
    if (there == null || there.size() != source.size() || last == null) {
      return true;
    }
    if (last.size() != source.size()) {
      return true;
    }
    if (source.etag().isPresent()) {
      return !source.etag().equals(last.etag());
    }
    // PostgreSQL keeps microseconds; a file's time may have nanoseconds.
    return !source.lastModified().truncatedTo(ChronoUnit.MICROS).equals(last.lastModified());
  }

  // Equal ETags on both sides mean equal content only for S3's MD5 ETags (single-part uploads);
  // a multipart ETag ("...-N") depends on the part size, so it is never taken as proof.
  private static boolean sameContent(StoredObject source, StoredObject there) {
    return there != null
        && there.size() == source.size()
        && source.etag().isPresent()
        && !source.etag().get().contains("-")
        && source.etag().equals(there.etag());
  }
}
