package dev.bulwark.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectNotFound;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalArchiveTests {

  @TempDir Path dir;
  private FileStorage storage;
  private WalArchive archive;

  @BeforeEach
  void archive() throws IOException {
    AgeIdentity identity = AgeKeys.generate();
    storage = FileStorage.at(Files.createDirectories(dir.resolve("storage")));
    archive =
        new WalArchive(
            storage,
            new AgeKeyring(
                Optional.of(identity.recipient().keyId()),
                Optional.of(identity.secretString()),
                new ZstdSettings(3, 0)));
    Files.createDirectories(dir.resolve("spool"));
    Files.createDirectories(dir.resolve("fetched"));
  }

  @Test
  void aSegmentComesBackAsTheExactBytesStored() throws IOException {
    Path segment = walFile("000000010000000000000003", 16 * 1024 * 1024, 1);

    archive.putSegment("pipeline", segment);
    Path fetched = dir.resolve("fetched/000000010000000000000003");
    archive.fetch("pipeline", "000000010000000000000003", fetched);

    assertThat(Files.mismatch(segment, fetched)).isEqualTo(-1L);
  }

  @Test
  void storesEachFileCompressedAndEncryptedUnderTheContractsKey() throws IOException {
    Path segment = walFile("000000010000000000000003", 1024 * 1024, 0);

    archive.putSegment("pipeline", segment);

    ObjectKey key = ObjectKey.of("pitr/pipeline/wal/000000010000000000000003.zst.age");
    try (InputStream stored = storage.get(key)) {
      byte[] head = stored.readNBytes(21);
      assertThat(new String(head)).isEqualTo("age-encryption.org/v1");
    }
    // A segment of zeros compresses to almost nothing before it is encrypted.
    assertThat(storage.head(key).orElseThrow().size()).isLessThan(4096L);
  }

  @Test
  void listsHistoryBeforeItsTimelinesSegmentsAndThePartialAfterItsSegment() throws IOException {
    archive.putSegment("pipeline", walFile("000000020000000000000005", 1000, 2));
    archive.putSegment("pipeline", walFile("000000010000000000000004", 1000, 3));
    archive.putSegment("pipeline", walFile("00000002.history", 40, 4));
    archive.putPartial("pipeline", walFile("000000020000000000000006.partial", 1000, 5));
    archive.putSegment("other", walFile("000000010000000000000001", 1000, 6));

    assertThat(archive.list("pipeline"))
        .containsExactly(
            "000000010000000000000004",
            "00000002.history",
            "000000020000000000000005",
            "000000020000000000000006.partial");
  }

  @Test
  void aNewPartialReplacesTheOldAndTheCompleteSegmentDropsIt() throws IOException {
    archive.putPartial("pipeline", walFile("000000010000000000000004.partial", 1000, 1));
    Path newer = walFile("000000010000000000000005.partial", 1000, 2);
    archive.putPartial("pipeline", newer);

    assertThat(archive.list("pipeline")).containsExactly("000000010000000000000005.partial");
    Path fetched = dir.resolve("fetched/000000010000000000000005.partial");
    archive.fetch("pipeline", "000000010000000000000005.partial", fetched);
    assertThat(Files.mismatch(newer, fetched)).isEqualTo(-1L);

    archive.putSegment("pipeline", walFile("000000010000000000000005", 1000, 3));
    assertThat(archive.list("pipeline")).containsExactly("000000010000000000000005");
  }

  @Test
  void fetchingAMissingFileIsObjectNotFoundAndLeavesNothing() {
    Path destination = dir.resolve("fetched/000000010000000000000009");

    assertThatThrownBy(() -> archive.fetch("pipeline", "000000010000000000000009", destination))
        .isInstanceOf(ObjectNotFound.class);
    assertThat(destination).doesNotExist();
  }

  @Test
  void deletesAStoredFile() throws IOException {
    archive.putSegment("pipeline", walFile("000000010000000000000004", 1000, 1));

    archive.delete("pipeline", "000000010000000000000004");

    assertThat(archive.list("pipeline")).isEmpty();
  }

  @Test
  void refusesNamesThatAreNoWalFiles() throws IOException {
    Path stray = walFile("000000010000000000000004.tmp", 10, 1);

    assertThatThrownBy(() -> archive.putSegment("pipeline", stray))
        .isInstanceOf(InvalidWalFileName.class)
        .hasMessageContaining("000000010000000000000004.tmp");
    assertThatThrownBy(() -> archive.putPartial("pipeline", walFile("00000002.history", 1, 1)))
        .isInstanceOf(InvalidWalFileName.class);
    assertThatThrownBy(() -> archive.delete("pipeline", "../../etc"))
        .isInstanceOf(InvalidWalFileName.class);
  }

  private Path walFile(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    if (seed != 0) {
      new Random(seed).nextBytes(bytes);
    }
    return Files.write(dir.resolve("spool").resolve(name), bytes);
  }
}
