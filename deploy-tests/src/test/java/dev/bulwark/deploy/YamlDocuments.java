package dev.bulwark.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multi-document YAML stream read as JSON trees, so that two streams compare equal whatever their
 * comments, quoting and key order.
 */
public final class YamlDocuments {

  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

  private YamlDocuments() {}

  /** Every non-empty document of a file, in order. */
  public static List<JsonNode> read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Every non-empty document of a YAML stream, in order. */
  public static List<JsonNode> parse(String yaml) {
    List<JsonNode> documents = new ArrayList<>();
    try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (values.hasNext()) {
        JsonNode document = values.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
    }
    return documents;
  }

  /** The one object of a kind and name among documents, if there is one. */
  public static Optional<JsonNode> find(List<JsonNode> documents, String kind, String name) {
    return documents.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .filter(d -> name.equals(d.path("metadata").path("name").asText()))
        .findFirst();
  }
}
