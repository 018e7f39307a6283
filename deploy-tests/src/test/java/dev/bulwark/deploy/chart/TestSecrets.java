package dev.bulwark.deploy.chart;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The Secrets an operator creates before {@code helm install}, filled with test values. */
final class TestSecrets {

  private final Map<String, Map<String, String>> byName = new LinkedHashMap<>();

  /** Adds (or extends) Secret {@code name} with {@code key}: {@code value}. */
  TestSecrets put(String name, String key, String value) {
    byName.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  Optional<Map<String, String>> secret(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  Optional<String> value(String name, String key) {
    return secret(name).map(data -> data.get(key));
  }
}
