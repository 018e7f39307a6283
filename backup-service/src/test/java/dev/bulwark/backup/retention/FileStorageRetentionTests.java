package dev.bulwark.backup.retention;

import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Retention on {@code file://}. */
class FileStorageRetentionTests extends RetentionOnStorageTests {

  @TempDir Path dir;

  @Override
  ObjectStorage openStorage() {
    return FileStorage.at(dir.resolve("storage"));
  }
}
