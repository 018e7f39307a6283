package dev.bulwark.deploy.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The repository's Helm chart, linted and rendered in-process with helm-java. */
final class Chart {

  static final String RELEASE = "bulwark";
  static final String NAMESPACE = "bulwark";

  /** Surefire runs in the module's directory; the chart sits beside it. */
  static final Path DIR = Path.of("").toAbsolutePath().getParent().resolve("helm/bulwark");

  static final Path PRODUCTION_VALUES = Path.of("src/test/resources/values-production.yaml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Chart() {}

  /** {@code helm template} with default values plus the given files and --set pairs. */
  static RenderedChart render(Path valuesFile, String... sets) {
    return RenderedChart.parse(template(valuesFile, sets));
  }

  static RenderedChart render() {
    return render(null);
  }

  /** The raw output of {@code helm template}; throws IllegalStateException with Helm's error. */
  static String template(Path valuesFile, String... sets) {
    TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (valuesFile != null) {
      template.withValuesFile(valuesFile.toAbsolutePath());
    }
    for (int i = 0; i < sets.length; i += 2) {
      template.set(sets[i], sets[i + 1]);
    }
    return template.call();
  }

  /**
   * {@code helm lint --strict} of the chart whose values.yaml is the default deep-merged with
   * {@code overrides}: helm-java's lint takes no values file, so it lints a copy in {@code work}.
   */
  static LintResult lintStrict(Path work, Map<String, Object> overrides) {
    Path copy = work.resolve("bulwark");
    copyTree(DIR, copy);
    Map<String, Object> values = merge(readYaml(DIR.resolve("values.yaml")), overrides);
    try {
      YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Helm(copy).lint().strict().call();
  }

  /**
   * NOTES.txt as {@code helm install} would print it. helm template skips NOTES.txt and parses what
   * it renders as YAML, so a copy of the chart in {@code work} renders NOTES.txt's text as a block
   * scalar of a ConfigMap.
   */
  @SuppressWarnings("unchecked")
  static String notes(Path work, String... sets) {
    Path copy = work.resolve("bulwark");
    copyTree(DIR, copy);
    try {
      Path notes = copy.resolve("templates/NOTES.txt");
      String wrapped =
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-notes\ndata:\n  notes: |\n"
              + Files.readString(notes).indent(4);
      Files.writeString(copy.resolve("templates/rendered-notes.yaml"), wrapped);
      Files.delete(notes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TemplateCommand template = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (int i = 0; i < sets.length; i += 2) {
      template.set(sets[i], sets[i + 1]);
    }
    String marker = "# Source: bulwark/templates/rendered-notes.yaml";
    String out = template.call();
    int start = out.indexOf(marker);
    if (start < 0) {
      throw new AssertionError("NOTES.txt rendered nothing");
    }
    int end = out.indexOf("\n---", start);
    try {
      Map<String, Object> config =
          YAML.readValue(out.substring(start, end < 0 ? out.length() : end), LinkedHashMap.class);
      return (String) ((Map<String, Object>) config.get("data")).get("notes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LintResult lintStrict() {
    return new Helm(DIR).lint().strict().call();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readYaml(Path file) {
    try {
      return YAML.readValue(file.toFile(), LinkedHashMap.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Helm's merge of values: maps merge key by key, anything else in {@code top} replaces. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> top) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    top.forEach(
        (key, value) -> {
          if (value instanceof Map && merged.get(key) instanceof Map) {
            merged.put(
                key, merge((Map<String, Object>) merged.get(key), (Map<String, Object>) value));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
