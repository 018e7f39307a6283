package dev.bulwark.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one object store of backup-service (dumps, WAL, the raw-data archive): {@link FileStorage}
 * for {@code file://}, {@link S3Storage} for {@code s3://}.
 *
 * <p>Publishing is atomic: while an object is written, nothing is visible under its key (and an
 * older object under that key stays as it was); it appears whole once {@link #put} returns, and a
 * write that fails leaves nothing behind. Failures of storage itself are {@link
 * StorageUnavailable}.
 */
public interface ObjectStorage extends AutoCloseable {

  /**
   * Streams {@code body} to {@code key}, replacing an object already there, with memory bounded by
   * one upload part whatever the object's length.
   *
   * @throws IOException only what {@code body} threw; nothing is published then
   */
  StoredObject put(ObjectKey key, ObjectBody body) throws IOException;

  /**
   * Copies {@code content} to {@code key} until its end; see {@link #put(ObjectKey, ObjectBody)}.
   */
  default StoredObject put(ObjectKey key, InputStream content) throws IOException {
    return put(key, content::transferTo);
  }

  /**
   * Opens the object's content; the caller closes the stream.
   *
   * @throws ObjectNotFound when no complete object is stored under {@code key}
   */
  InputStream get(ObjectKey key);

  /**
   * Opens a part of the object's content (to resume a download, or to read a dump's trailer); a
   * range starting at or past the end reads nothing.
   *
   * @throws ObjectNotFound when no complete object is stored under {@code key}
   */
  InputStream get(ObjectKey key, ByteRange range);

  /** The object under {@code key}, or empty when there is none. */
  Optional<StoredObject> head(ObjectKey key);

  /**
   * The objects whose keys start with {@code prefix} ({@code ""} for all), in key order, fetched
   * page by page as the stream is consumed.
   *
   * @throws InvalidObjectKey when the prefix could never start a key
   */
  Stream<StoredObject> list(String prefix);

  /** Deletes the object under {@code key}; deleting a missing object is not an error. */
  void delete(ObjectKey key);

  /**
   * Removes writes to keys starting with {@code prefix} ({@code ""} for all) started before {@code
   * before} that never finished: the temporary files, or the multipart uploads, of a writer that
   * died (a JVM killed mid-backup). Nothing lists them as objects, but they take space until
   * removed. Returns how many were removed.
   *
   * @throws InvalidObjectKey when the prefix could never start a key
   */
  int dropUnfinishedWrites(String prefix, Instant before);

  /** Where the objects live, for messages: the configured URL (never with credentials). */
  String location();

  @Override
  default void close() {}
}
