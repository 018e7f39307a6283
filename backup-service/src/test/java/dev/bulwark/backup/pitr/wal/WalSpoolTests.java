package dev.bulwark.backup.pitr.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalSpoolTests {

  private static final long SEGMENT = 16L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void onlyAPartialKilledWhilePaddedIsDropped() throws IOException {
    Path empty = sized("000000010000000000000002.partial", 0);
    Path whole = sized("000000010000000000000003.partial", SEGMENT);
    // The length pg_receivewal 15 refused to start beside after a kill -9 in CI.
    Path halfPadded = sized("000000010000000000000004.partial", 16_621_568);
    Path completed = sized("000000010000000000000001", 1234);

    var dropped = new WalSpool(dir).dropHalfPadded(SEGMENT);

    assertThat(dropped).containsExactly("000000010000000000000004.partial (16621568 bytes)");
    assertThat(halfPadded).doesNotExist();
    assertThat(empty).exists();
    assertThat(whole).exists();
    assertThat(completed).exists();
  }

  private Path sized(String name, long length) throws IOException {
    Path file = Files.createFile(dir.resolve(name));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(length);
    }
    return file;
  }
}
