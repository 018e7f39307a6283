package dev.bulwark.backup.pitr.base;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads and writes base backup manifests: ISO-8601 instants, indented for people. */
public final class BaseBackupJson {

  // Its own mapper: the file format must not change with the REST layer's settings.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private BaseBackupJson() {}

  public static byte[] write(BaseBackupManifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("a manifest always serialises", e);
    }
  }

  public static BaseBackupManifest read(InputStream in) throws IOException {
    return MAPPER.readValue(in, BaseBackupManifest.class);
  }
}
