package dev.bulwark.backup.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The application's one {@link ObjectStorage}, as the test profile configures it. */
@QuarkusTest
class ObjectStorageWiringTests {

  @Inject ObjectStorage storage;

  @Test
  void theTestProfileStoresObjectsInAFileDirectoryUnderTarget() throws IOException {
    ObjectKey key = ObjectKey.of("wiring/" + UUID.randomUUID() + ".txt");

    storage.put(key, out -> out.write("wired".getBytes(UTF_8)));

    assertThat(storage.location())
        .isEqualTo(Path.of("target", "test-storage").toAbsolutePath().toUri().toString());
    assertThat(Path.of("target", "test-storage").resolve(key.value())).hasContent("wired");
    try (InputStream in = storage.get(key)) {
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("wired");
    }
    storage.delete(key);
  }
}
