package dev.bulwark.deploy.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names the services export, read from where their code registers them: each
 * registration's Micrometer name turned into the series names Prometheus scrapes (dots become
 * underscores; a counter adds {@code _total}; a timer is {@code _seconds} with {@code _count},
 * {@code _sum}, {@code _max} and, with a percentile histogram, {@code _bucket}). A name registered
 * in {@code common} is exported by every service.
 */
record ExportedMetrics(Map<String, Set<String>> servicesByName) {

  static final List<String> SERVICES =
      List.of("budget-service", "metrics-service", "backup-service", "failover-service");
  private static final String COMMON = "common";

  // Micrometer names are dotted literals in the first (counter, timer, gauge) or second
  // (GaugeFamily and Freshness take the registry first) argument of their registration.
  private static final Pattern GAUGE_FAMILY =
      Pattern.compile("GaugeFamily\\.register\\(\\s*\\w+\\s*,\\s*\"([a-z0-9.]+)\"");
  private static final Pattern FRESHNESS =
      Pattern.compile("Freshness\\.register\\(\\s*\\w+\\s*,\\s*\"([a-z0-9.]+)\"");
  private static final Pattern GAUGE = Pattern.compile("Gauge\\.builder\\(\\s*\"([a-z0-9.]+)\"");
  private static final Pattern COUNTER =
      Pattern.compile("Counter\\.builder\\(\\s*\"([a-z0-9.]+)\"");
  private static final Pattern TIMER = Pattern.compile("Timer\\.builder\\(\\s*\"([a-z0-9.]+)\"");

  /** Reads the registrations in every service's and common's main sources. */
  static ExportedMetrics fromSources(Path repository) {
    Map<String, Set<String>> services = new TreeMap<>();
    for (String module : Stream.concat(Stream.of(COMMON), SERVICES.stream()).toList()) {
      Set<String> exportedBy = module.equals(COMMON) ? Set.copyOf(SERVICES) : Set.of(module);
      for (String name : namesIn(repository.resolve(module).resolve("src/main/java"))) {
        services.computeIfAbsent(name, n -> new TreeSet<>()).addAll(exportedBy);
      }
    }
    return new ExportedMetrics(services);
  }

  Set<String> names() {
    return servicesByName.keySet();
  }

  boolean exports(String service, String name) {
    return servicesByName.getOrDefault(name, Set.of()).contains(service);
  }

  private static Set<String> namesIn(Path sources) {
    Set<String> names = new TreeSet<>();
    if (!Files.isDirectory(sources)) {
      return names; // a module without main sources registers nothing
    }
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String code = Files.readString(file);
        matches(GAUGE_FAMILY, code).forEach(n -> names.add(prometheus(n)));
        matches(GAUGE, code).forEach(n -> names.add(prometheus(n)));
        matches(COUNTER, code).forEach(n -> names.add(prometheus(n) + "_total"));
        for (String prefix : matches(FRESHNESS, code)) {
          names.add(prometheus(prefix) + "_up");
          names.add(prometheus(prefix) + "_last_success_timestamp_seconds");
        }
        for (String timer : matches(TIMER, code)) {
          String base = prometheus(timer) + "_seconds";
          names.addAll(List.of(base, base + "_count", base + "_sum", base + "_max"));
          if (code.contains("publishPercentileHistogram()")) {
            names.add(base + "_bucket");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sources, e);
    }
    return names;
  }

  private static List<String> matches(Pattern pattern, String code) {
    Matcher matcher = pattern.matcher(code);
    return matcher.results().map(r -> r.group(1)).toList();
  }

  private static String prometheus(String micrometerName) {
    return micrometerName.replace('.', '_');
  }
}
