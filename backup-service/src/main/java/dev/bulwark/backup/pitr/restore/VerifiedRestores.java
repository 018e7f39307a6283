package dev.bulwark.backup.pitr.restore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectNotFound;
import dev.bulwark.backup.storage.ObjectStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Records and reads each target's newest passed restore verification in storage. */
@ApplicationScoped
public class VerifiedRestores {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private final ObjectStorage storage;

  public VerifiedRestores(ObjectStorage storage) {
    this.storage = storage;
  }

  static ObjectKey keyOf(String target) {
    return ObjectKey.of("pitr/" + target + "/verified-restore.json");
  }

  public void record(VerifiedRestore verified) throws IOException {
    storage.put(
        keyOf(verified.target()), new ByteArrayInputStream(MAPPER.writeValueAsBytes(verified)));
  }

  /** The newest passed verification of {@code target}, if any. */
  public Optional<VerifiedRestore> of(String target) throws IOException {
    try (InputStream in = storage.get(keyOf(target))) {
      return Optional.of(MAPPER.readValue(in, VerifiedRestore.class));
    } catch (ObjectNotFound e) {
      return Optional.empty();
    }
  }
}
