package dev.bulwark.backup.dumps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads and writes {@code manifest.json}: ISO-8601 instants, indented for people reading it. */
final class ManifestJson {

  // Its own mapper: the file format must not change with the REST layer's settings.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private ManifestJson() {}

  static byte[] write(BackupManifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("a manifest always serialises", e);
    }
  }

  static BackupManifest read(InputStream in) throws IOException {
    return MAPPER.readValue(in, BackupManifest.class);
  }
}
