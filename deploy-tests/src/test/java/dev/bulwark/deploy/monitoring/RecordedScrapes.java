package dev.bulwark.deploy.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The series names in scrapes of the running services, recorded from {@code scripts/suite up} with
 * {@code curl http://127.0.0.1:<management port>/q/metrics} into {@code
 * src/test/resources/monitoring/scrapes/<service>.prom}: what each service really exports, the
 * framework's JVM and HTTP metrics included, where the code shows only Bulwark's own.
 */
record RecordedScrapes(Map<String, Set<String>> namesByService) {

  static RecordedScrapes load() {
    Path dir =
        RepositoryLayout.root().resolve("deploy-tests/src/test/resources/monitoring/scrapes");
    Map<String, Set<String>> names = new TreeMap<>();
    for (String service : ExportedMetrics.SERVICES) {
      Path scrape = dir.resolve(service + ".prom");
      try {
        names.put(service, sampleNames(Files.readString(scrape)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the recorded scrape " + scrape, e);
      }
    }
    return new RecordedScrapes(names);
  }

  /** The names of the samples in a scrape in Prometheus's text format. */
  static Set<String> sampleNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  boolean exports(String service, String name) {
    return namesByService.getOrDefault(service, Set.of()).contains(name);
  }

  boolean anyExports(String name) {
    return namesByService.values().stream().anyMatch(names -> names.contains(name));
  }
}
