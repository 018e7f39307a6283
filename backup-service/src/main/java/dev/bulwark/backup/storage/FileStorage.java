package dev.bulwark.backup.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under a root directory ({@code file:///path}), the local default. A key's
 * segments are directories; an object is written to a temporary file beside its final name, synced,
 * and renamed over it, which is atomic on one file system.
 */
public final class FileStorage implements ObjectStorage {

  /** Marks temporary files; {@link ObjectKey} never contains it, so no key can collide. */
  static final String TEMP_MARK = "~";

  private static final int BUFFER = 64 * 1024;

  private final Path root;

  private FileStorage(Path root) {
    this.root = root;
  }

  /** Storage under {@code root}, which is created if missing. */
  public static FileStorage at(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw new StorageUnavailable(
          absolute.toUri().toString(), "cannot create the directory: " + describe(e));
    }
    return new FileStorage(absolute);
  }

  @Override
  public StoredObject put(ObjectKey key, ObjectBody body) throws IOException {
    Path target = pathOf(key);
    Path temp;
    FileChannel channel;
    if (Files.isDirectory(target)) {
      throw new ObjectKeyConflict(key, "other keys start with '" + key + "/'");
    }
    try {
      // createDirectories throws and catches an exception when the directory exists: the common
      // case, and a stack trace per object on the archive's ingest path.
      if (!Files.isDirectory(target.getParent())) {
        Files.createDirectories(target.getParent());
      }
      temp =
          target.resolveSibling(
              target.getFileName() + TEMP_MARK + UUID.randomUUID() + TEMP_MARK + "partial");
      channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new ObjectKeyConflict(
          key, "an object is stored under '" + root.relativize(Path.of(e.getFile())) + "'");
    } catch (IOException e) {
      throw unavailable("cannot create " + key, e);
    }
    try {
      EarlyWriteback file = new EarlyWriteback(Channels.newOutputStream(channel), channel);
      StorageSide out = new StorageSide(file, key);
      try {
        body.writeTo(out);
        out.flushToChannel();
      } catch (StorageSide.Failure failure) {
        throw unavailable("cannot write " + key, failure.getCause());
      }
      try {
        file.awaitWriteback();
      } catch (IOException e) {
        throw unavailable("cannot write " + key, e);
      }
      syncAndClose(channel, key);
      publish(temp, target, key);
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(channel, e);
      deleteQuietly(temp, e);
      throw e;
    }
    return head(key).orElseThrow(() -> new ObjectNotFound(key));
  }

  private void syncAndClose(FileChannel channel, ObjectKey key) {
    try {
      channel.force(true);
      channel.close();
    } catch (IOException e) {
      throw unavailable("cannot write " + key, e);
    }
  }

  private void publish(Path temp, Path target, ObjectKey key) {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      // The rename is durable only once the directory entry is: sync the directory too.
      try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw unavailable("cannot publish " + key, e);
    }
  }

  @Override
  public InputStream get(ObjectKey key) {
    Path path = pathOf(key);
    if (!Files.isRegularFile(path)) {
      throw new ObjectNotFound(key);
    }
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFound(key);
    } catch (IOException e) {
      throw unavailable("cannot read " + key, e);
    }
  }

  @Override
  public InputStream get(ObjectKey key, ByteRange range) {
    Path path = pathOf(key);
    if (!Files.isRegularFile(path)) {
      throw new ObjectNotFound(key);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      channel.position(range.offset());
      return new BoundedInputStream(Channels.newInputStream(channel), range.length());
    } catch (NoSuchFileException e) {
      throw new ObjectNotFound(key);
    } catch (IOException e) {
      closeQuietly(channel, e);
      throw unavailable("cannot read " + key, e);
    }
  }

  @Override
  public Optional<StoredObject> head(ObjectKey key) {
    Path path = pathOf(key);
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(
          new StoredObject(
              key, attributes.size(), attributes.lastModifiedTime().toInstant(), Optional.empty()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw unavailable("cannot read " + key, e);
    }
  }

  @Override
  public Stream<StoredObject> list(String prefix) {
    ObjectKey.validPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    String dirPart = slash < 0 ? "" : prefix.substring(0, slash + 1);
    Path start = dirPart.isEmpty() ? root : root.resolve(dirPart);
    if (!Files.isDirectory(start)) {
      return Stream.empty();
    }
    return FileListing.under(start, dirPart, prefix, e -> unavailable("cannot list " + prefix, e))
        // Temporary files (and anything else that is no key) are not objects.
        .filter(ObjectKey::isValid)
        .map(ObjectKey::of)
        .map(this::head)
        .flatMap(Optional::stream);
  }

  @Override
  public void delete(ObjectKey key) {
    try {
      Files.deleteIfExists(pathOf(key));
    } catch (IOException e) {
      throw unavailable("cannot delete " + key, e);
    }
  }

  @Override
  public int dropUnfinishedWrites(String prefix, Instant before) {
    ObjectKey.validPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash + 1));
    if (!Files.isDirectory(start)) {
      return 0;
    }
    int dropped = 0;
    try (Stream<Path> files = Files.walk(start)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (root.relativize(file).toString().startsWith(prefix)
            && isUnfinishedSince(file, before)
            && Files.deleteIfExists(file)) {
          dropped++;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw unavailable("cannot sweep unfinished writes", e);
    }
    return dropped;
  }

  private static boolean isUnfinishedSince(Path file, Instant before) throws IOException {
    String name = file.getFileName().toString();
    if (!name.contains(TEMP_MARK) || !name.endsWith(TEMP_MARK + "partial")) {
      return false;
    }
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(before);
    } catch (NoSuchFileException e) { // its writer finished (renamed it) or gave up meanwhile
      return false;
    }
  }

  @Override
  public String location() {
    return root.toUri().toString();
  }

  private Path pathOf(ObjectKey key) {
    // ObjectKey admits no '..', '.', empty segment or leading '/': the path stays under root.
    return root.resolve(key.value());
  }

  private StorageUnavailable unavailable(String what, Throwable cause) {
    return new StorageUnavailable(location(), what + ": " + describe(cause));
  }

  private static String describe(Throwable e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied on " + e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  private static void closeQuietly(FileChannel channel, Throwable failure) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private static void deleteQuietly(Path temp, Throwable failure) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The stream a body writes to: buffered, closing it does not end the object (publishing is {@link
   * #put}'s), and failures of the disk are told apart from failures of the body.
   */
  private static final class StorageSide extends OutputStream {

    /** An IOException of the file, not of the body. */
    static final class Failure extends IOException {
      Failure(IOException cause) {
        super(cause.getMessage(), cause);
      }
    }

    private final BufferedOutputStream out;
    private final ObjectKey key;

    StorageSide(OutputStream file, ObjectKey key) {
      this.out = new BufferedOutputStream(file, BUFFER);
      this.key = key;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public void flush() throws IOException {
      flushToChannel();
    }

    void flushToChannel() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public void close() throws IOException {
      flushToChannel();
    }

    @Override
    public String toString() {
      return "object " + key;
    }
  }
}
