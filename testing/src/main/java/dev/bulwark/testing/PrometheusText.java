package dev.bulwark.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape in the Prometheus text format, read into samples that tests can look up by labels. */
public final class PrometheusText {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Double> samples = new LinkedHashMap<>();

  private PrometheusText() {}

  /**
   * The sample without its exemplar ({@code value # {trace_id="…",span_id="…"} 1.0 ts}), which
   * Micrometer adds to counters and histograms while a trace is active (OpenTelemetry).
   */
  private static String withoutExemplar(String line) {
    int exemplar = line.indexOf(" # {");
    return exemplar < 0 ? line : line.substring(0, exemplar);
  }

  public static PrometheusText parse(String text) {
    PrometheusText scrape = new PrometheusText();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(withoutExemplar(line).trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a Prometheus sample: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      scrape.samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
    }
    return scrape;
  }

  /**
   * The value of the sample with exactly these labels (name, value, name, value...); empty when the
   * scrape has no such sample.
   */
  public OptionalDouble value(String name, String... labels) {
    Map<String, String> wanted = new TreeMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    Double value = samples.get(key(name, wanted));
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** Whether any sample of the metric exists, whatever its labels. */
  public boolean has(String name) {
    return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
  }

  @Override
  public String toString() {
    return samples.toString();
  }

  private static String key(String name, Map<String, String> labels) {
    return labels.isEmpty() ? name : name + labels;
  }
}
