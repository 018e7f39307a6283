package dev.bulwark.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/** Test fixture: real storage passed through, for a test to make one call of it fail. */
public class ForwardingStorage implements ObjectStorage {

  private final ObjectStorage storage;

  public ForwardingStorage(ObjectStorage storage) {
    this.storage = storage;
  }

  @Override
  public StoredObject put(ObjectKey key, ObjectBody body) throws IOException {
    return storage.put(key, body);
  }

  @Override
  public InputStream get(ObjectKey key) {
    return storage.get(key);
  }

  @Override
  public InputStream get(ObjectKey key, ByteRange range) {
    return storage.get(key, range);
  }

  @Override
  public Optional<StoredObject> head(ObjectKey key) {
    return storage.head(key);
  }

  @Override
  public Stream<StoredObject> list(String prefix) {
    return storage.list(prefix);
  }

  @Override
  public void delete(ObjectKey key) {
    storage.delete(key);
  }

  @Override
  public int dropUnfinishedWrites(String prefix, Instant before) {
    return storage.dropUnfinishedWrites(prefix, before);
  }

  @Override
  public String location() {
    return storage.location();
  }

  @Override
  public void close() {
    storage.close();
  }
}
