package dev.bulwark.backup.pitr.wal;

import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Moves one target's spool into the archive in WAL order: each complete segment or history file is
 * stored, then deleted locally; the growing partial is stored when it changed and its interval
 * passed. Checks the chain as it goes: a stored segment must follow the one stored before it (by
 * segment number, across timelines: a new timeline's first segment continues its parent's).
 */
final class WalUploader {

  private static final Logger LOG = Logger.getLogger(WalUploader.class);

  private final String target;
  private final WalSpool spool;
  private final WalArchive archive;
  private final Clock clock;
  private final Consumer<String> onGap;
  private Optional<WalSegmentName> lastSegment;
  private long storedLsn;
  private Optional<Instant> lastUpload = Optional.empty();
  private Optional<Instant> lastSegmentAt = Optional.empty();
  private Optional<FileTime> partialStoredAt = Optional.empty();
  private Optional<String> partialStored = Optional.empty();
  private long partialUploadedNanos;
  private long partialUploadedWallNanos;

  WalUploader(
      String target, WalSpool spool, WalArchive archive, Clock clock, Consumer<String> onGap) {
    this.target = target;
    this.spool = spool;
    this.archive = archive;
    this.clock = clock;
    this.onGap = onGap;
    // The chain continues from what storage already holds (a restart, another replica before).
    this.lastSegment =
        archive.list(target).stream()
            .filter(WalSegmentName::isSegmentName)
            .map(WalSegmentName::parse)
            .max((a, b) -> Long.compare(a.log() << 32 | a.seg(), b.log() << 32 | b.seg()));
  }

  /**
   * Stores every completed file in order; stops at the first that fails (storage down), leaving it
   * and the later ones queued.
   *
   * @return how many were stored
   */
  int uploadCompleted(long segmentSize) throws IOException {
    int stored = 0;
    for (Path file : spool.completed()) {
      String name = file.getFileName().toString();
      if (WalSegmentName.isSegmentName(name)) {
        WalSegmentName segment = WalSegmentName.parse(name);
        checkFollows(segment, segmentSize);
        archive.putSegment(target, file);
        lastSegment = Optional.of(segment);
        storedLsn = Math.max(storedLsn, segment.endLsn(segmentSize));
        lastSegmentAt = Optional.of(clock.instant());
        if (partialStored.filter(p -> p.startsWith(name)).isPresent()) {
          partialStored = Optional.empty();
        }
      } else {
        archive.putSegment(target, file);
      }
      Files.delete(file);
      lastUpload = Optional.of(clock.instant());
      stored++;
    }
    return stored;
  }

  /**
   * Stores the newest partial segment when it changed since it was last stored and {@code every}
   * nanoseconds passed; older partials (a timeline's last, left when it switched) are stored once
   * and removed. {@code receivedLsn} is the primary's view of what the receiver flushed, read
   * before this call: the file holds at least that much.
   */
  void uploadPartial(long everyNanos, long segmentSize, Optional<Long> receivedLsn)
      throws IOException {
    List<Path> partials = spool.partials();
    for (int i = 0; i < partials.size(); i++) {
      Path partial = partials.get(i);
      boolean newest = i == partials.size() - 1;
      String name = partial.getFileName().toString();
      FileTime modified;
      try {
        modified = Files.getLastModifiedTime(partial);
      } catch (NoSuchFileException e) {
        continue; // completed (renamed) meanwhile: stored as a segment next time
      }
      boolean changed =
          !partialStored.equals(Optional.of(name))
              || !partialStoredAt.equals(Optional.of(modified));
      boolean due = System.nanoTime() - partialUploadedNanos >= everyNanos || !newest;
      if (!changed || !due) {
        continue;
      }
      try {
        archive.putPartial(target, partial);
      } catch (NoSuchFileException e) {
        continue;
      }
      partialStored = Optional.of(name);
      partialStoredAt = Optional.of(modified);
      partialUploadedNanos = System.nanoTime();
      partialUploadedWallNanos = partialUploadedNanos;
      lastUpload = Optional.of(clock.instant());
      WalSegmentName segment = WalSegmentName.parse(name.substring(0, name.length() - 8));
      long covered =
          receivedLsn
              .map(lsn -> Math.min(lsn, segment.endLsn(segmentSize)))
              .orElse(segment.startLsn(segmentSize));
      storedLsn = Math.max(storedLsn, Math.max(covered, segment.startLsn(segmentSize)));
      if (!newest) {
        Files.delete(partial);
      }
    }
  }

  /**
   * Credits the stored partial with what the receiver had written by {@code readAtNanos}, when that
   * look came after the upload and the file has not changed since: the stored copy holds it all.
   */
  void creditStoredPartial(long segmentSize, Optional<Long> receivedLsn, long readAtNanos)
      throws IOException {
    if (partialStored.isEmpty()
        || receivedLsn.isEmpty()
        || readAtNanos < partialUploadedWallNanos) {
      return;
    }
    Path file = spool.dir().resolve(partialStored.get());
    if (!Files.exists(file)
        || !partialStoredAt.equals(Optional.of(Files.getLastModifiedTime(file)))) {
      return;
    }
    String name = partialStored.get();
    WalSegmentName segment = WalSegmentName.parse(name.substring(0, name.length() - 8));
    storedLsn = Math.max(storedLsn, Math.min(receivedLsn.get(), segment.endLsn(segmentSize)));
  }

  /** Drops the local partials once stored: pg_receivewal then starts from its slot. */
  void discardPartials() throws IOException {
    for (Path partial : spool.partials()) {
      Files.delete(partial);
    }
  }

  /** The LSN up to which WAL is stored; empty while storage holds no segment of the target. */
  Optional<Long> storedLsn(long segmentSize) {
    long fromArchive = lastSegment.map(s -> s.endLsn(segmentSize)).orElse(0L);
    long lsn = Math.max(storedLsn, fromArchive);
    return lsn == 0 ? Optional.empty() : Optional.of(lsn);
  }

  Optional<Instant> lastUpload() {
    return lastUpload;
  }

  Optional<Instant> lastSegmentAt() {
    return lastSegmentAt;
  }

  Optional<WalSegmentName> lastSegment() {
    return lastSegment;
  }

  private void checkFollows(WalSegmentName segment, long segmentSize) {
    if (lastSegment.isEmpty()) {
      return;
    }
    WalSegmentName last = lastSegment.get();
    long expected = last.segmentNumber(segmentSize) + 1;
    long actual = segment.segmentNumber(segmentSize);
    if (actual > expected) {
      String missing =
          WalSegmentName.ofLsn(last.timeline(), expected * segmentSize, segmentSize).format();
      String reason =
          "WAL gap: after "
              + last
              + " the next stored segment is "
              + segment
              + " (missing from "
              + missing
              + ")";
      LOG.errorf("target %s: %s", target, reason);
      onGap.accept(reason);
    }
  }
}
