package dev.bulwark.backup.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The keys of the regular files under a directory in S3's order (by the whole key), reading one
 * directory at a time as the stream is consumed.
 *
 * <p>Siblings sort as a directory's name followed by {@code /}: every key below directory {@code a}
 * starts with {@code a/}, so this puts {@code a-b} before {@code a/b}, as comparing whole keys
 * does.
 */
final class FileListing implements Iterator<String> {

  private record Entry(Path path, String key, boolean directory) {
    String sortKey() {
      return directory ? key + "/" : key;
    }
  }

  private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();
  private final String prefix;
  private final Function<IOException, RuntimeException> failure;
  private String next;

  private FileListing(
      Path dir, String dirKey, String prefix, Function<IOException, RuntimeException> failure) {
    this.prefix = prefix;
    this.failure = failure;
    stack.push(read(dir, dirKey));
  }

  /**
   * Keys starting with {@code prefix} of the files below {@code dir}, the directory of the keys
   * starting with {@code dirKey} (a part of {@code prefix} ending in {@code /}, or empty). A
   * directory that cannot be read fails the stream with what {@code failure} makes of it.
   */
  static Stream<String> under(
      Path dir, String dirKey, String prefix, Function<IOException, RuntimeException> failure) {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            new FileListing(dir, dirKey, prefix, failure),
            Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public boolean hasNext() {
    while (next == null && !stack.isEmpty()) {
      Iterator<Entry> top = stack.peek();
      if (!top.hasNext()) {
        stack.pop();
        continue;
      }
      Entry entry = top.next();
      String key = entry.key();
      if (entry.directory()) {
        String dirKey = key + "/";
        if (dirKey.startsWith(prefix) || prefix.startsWith(dirKey)) {
          stack.push(read(entry.path(), dirKey));
        }
      } else if (key.startsWith(prefix)) {
        next = key;
      }
    }
    return next != null;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    String key = next;
    next = null;
    return key;
  }

  private Iterator<Entry> read(Path dir, String keyPrefix) {
    try (Stream<Path> children = Files.list(dir)) {
      List<Entry> entries =
          children
              .map(
                  child ->
                      new Entry(child, keyPrefix + child.getFileName(), Files.isDirectory(child)))
              .filter(entry -> entry.directory() || Files.isRegularFile(entry.path()))
              .sorted(Comparator.comparing(Entry::sortKey))
              .toList();
      return entries.iterator();
    } catch (NoSuchFileException gone) {
      // Deleted while listing: it holds nothing any more.
      return Collections.emptyIterator();
    } catch (IOException | UncheckedIOException e) {
      throw failure.apply(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
    }
  }
}
