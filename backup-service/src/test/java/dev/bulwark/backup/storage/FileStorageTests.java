package dev.bulwark.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on {@code file://}, plus where its files go. */
class FileStorageTests extends ObjectStorageContractTests {

  @TempDir static Path root;
  static ObjectStorage storage;

  @BeforeAll
  static void openStorage() {
    storage =
        ObjectStorages.open(
            StorageConfigs.of(Map.of("bulwark.backup.storage.url", root.toUri().toString())));
  }

  @AfterAll
  static void closeStorage() {
    storage.close();
  }

  @Override
  ObjectStorage storage() {
    return storage;
  }

  @Override
  void startUnfinishedWrite(ObjectKey key) throws IOException {
    Path file =
        root.resolve(
            key.value() + FileStorage.TEMP_MARK + "dead" + FileStorage.TEMP_MARK + "partial");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "half a dump");
  }

  @Override
  void assertNoUnfinishedWrites() {
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString))
          .noneMatch(name -> name.contains(FileStorage.TEMP_MARK));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void storesAnObjectAsAFileAtItsKey() throws IOException {
    storage.put(key("dumps/2026/one.dump"), out -> out.write("dump".getBytes()));

    assertThat(root.resolve(run + "dumps/2026/one.dump")).hasContent("dump");
    assertThat(storage.location()).isEqualTo(root.toUri().toString());
  }

  @Test
  void anObjectSyncedWhileItIsWrittenArrivesWhole() throws IOException {
    // Several early writebacks run beside the writes of one object.
    long length = 3 * EarlyWriteback.EVERY + 12345;
    RandomContent content = RandomContent.of(42, length);
    storage.put(key("large/object"), out -> content.transferTo(out));

    assertThat(storage.head(key("large/object")).orElseThrow().size()).isEqualTo(length);
    try (var in = storage.get(key("large/object"))) {
      assertThat(RandomContent.sha256Of(in))
          .isEqualTo(RandomContent.sha256Of(RandomContent.of(42, length)));
    }
  }

  @Test
  void createsAMissingRootDirectory() {
    Path nested = root.resolve("not/yet/there");

    ObjectStorage created =
        ObjectStorages.open(
            StorageConfigs.of(Map.of("bulwark.backup.storage.url", "file://" + nested)));

    assertThat(nested).isDirectory();
    assertThat(created.list("")).isEmpty();
  }

  @Test
  void aLeftoverTemporaryFileIsNoObject() throws IOException {
    Path dir = Files.createDirectories(root.resolve(run + "wal"));
    Files.writeString(
        dir.resolve(
            "000001" + FileStorage.TEMP_MARK + "crashed" + FileStorage.TEMP_MARK + "partial"),
        "half");

    assertThat(storage.list(run)).isEmpty();
  }

  @Test
  void aKeyCannotBeBothAnObjectAndTheDirectoryOfOthers() throws IOException {
    storage.put(key("x/y"), out -> out.write('1'));
    storage.put(key("z"), out -> out.write('2'));

    assertThatThrownBy(() -> storage.put(key("x"), out -> out.write('3')))
        .isInstanceOf(ObjectKeyConflict.class)
        .hasMessageContaining("other keys start with '" + run + "x/'");
    assertThatThrownBy(() -> storage.put(key("z/w"), out -> out.write('4')))
        .isInstanceOf(ObjectKeyConflict.class)
        .hasMessageContaining("an object is stored under '" + run + "z'");
    assertThat(storage.list(run).map(o -> o.key().value())).containsExactly(run + "x/y", run + "z");
  }
}
