package dev.bulwark.backup.dumps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads and writes the JSON files stored beside a dump ({@code manifest.json}, {@code
 * verification.json}): ISO-8601 instants, indented for people reading them.
 */
final class BackupJson {

  // Its own mapper: the file format must not change with the REST layer's settings.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private BackupJson() {}

  static byte[] write(Record record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException("a backup record always serialises", e);
    }
  }

  static <T extends Record> T read(InputStream in, Class<T> type) throws IOException {
    return MAPPER.readValue(in, type);
  }
}
