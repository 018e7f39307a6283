package dev.bulwark.backup.pitr.wal;

import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local directory pg_receivewal writes into: complete segments and {@code .history} files wait
 * here for storage, in name order (which is WAL order: a timeline's history sorts after the
 * previous timeline's segments and before its own), beside the growing {@code .partial} segment.
 */
final class WalSpool {

  private final Path dir;

  WalSpool(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  void create() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the WAL spool " + dir, e);
    }
  }

  /** Complete segments and history files, oldest first. */
  List<Path> completed() {
    return files().filter(p -> isCompleted(p.getFileName().toString())).toList();
  }

  /** Partial segments, oldest first; the last is the one pg_receivewal writes. */
  List<Path> partials() {
    return files()
        .filter(
            p -> {
              String name = p.getFileName().toString();
              return WalArchive.isPartial(name)
                  && WalSegmentName.isSegmentName(name.substring(0, name.length() - 8));
            })
        .toList();
  }

  /**
   * Deletes partial segments whose length is neither 0 nor a whole segment: pg_receivewal pads a
   * new segment with zeros before it writes any WAL into it, so such a file is one it was killed
   * while padding. It holds no WAL (the slot keeps that on the server), and pg_receivewal refuses
   * to start beside it ("should be 0 or 16777216"). Returns the names deleted.
   */
  List<String> dropHalfPadded(long segmentSize) throws IOException {
    List<String> dropped = new java.util.ArrayList<>();
    for (Path partial : partials()) {
      long size = Files.size(partial);
      if (size != 0 && size != segmentSize) {
        Files.delete(partial);
        dropped.add(partial.getFileName() + " (" + size + " bytes)");
      }
    }
    return dropped;
  }

  /** Bytes of the completed files waiting for storage. */
  long completedBytes() {
    long total = 0;
    for (Path file : completed()) {
      try {
        total += Files.size(file);
      } catch (IOException e) {
        // uploaded and deleted meanwhile
      }
    }
    return total;
  }

  private Stream<Path> files() {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the WAL spool " + dir, e);
    }
  }

  private static boolean isCompleted(String name) {
    return WalSegmentName.isSegmentName(name) || WalArchive.isHistory(name);
  }
}
