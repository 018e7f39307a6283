package dev.bulwark.metrics.exported;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A gauge whose rows are replaced as a whole on each refresh: a row that is not published is absent
 * from the scrape, which is how a value that cannot be computed shows (never a fake zero). A row
 * that stays is updated in place, so a scrape never sees it missing between two refreshes (which
 * would reset the {@code for:} of an alert).
 */
final class Gauges {

  private final MeterRegistry registry;
  private final String name;
  private final String help;
  private final Map<Tags, Row> rows = new HashMap<>();
  private final Map<Tags, Double> pending = new LinkedHashMap<>();

  private record Row(Gauge gauge, AtomicReference<Double> value) {}

  private Gauges(MeterRegistry registry, String name, String help) {
    this.registry = registry;
    this.name = name;
    this.help = help;
  }

  static Gauges register(MeterRegistry registry, String name, String help) {
    return new Gauges(registry, name, help);
  }

  /** Adds a row to the next {@link #publish()}; label names and values alternate. */
  Gauges row(double value, String... labels) {
    pending.put(Tags.of(labels), value);
    return this;
  }

  /** Makes the rows added since the last publish the exported ones. */
  void publish() {
    pending.forEach(
        (tags, value) -> {
          Row row = rows.get(tags);
          if (row == null) {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge gauge =
                Gauge.builder(name, holder, AtomicReference::get)
                    .tags(tags)
                    .description(help)
                    .strongReference(true)
                    .register(registry);
            rows.put(tags, new Row(gauge, holder));
          } else {
            row.value().set(value);
          }
        });
    rows.entrySet()
        .removeIf(
            e -> {
              boolean gone = !pending.containsKey(e.getKey());
              if (gone) {
                registry.remove(e.getValue().gauge());
              }
              return gone;
            });
    pending.clear();
  }
}
