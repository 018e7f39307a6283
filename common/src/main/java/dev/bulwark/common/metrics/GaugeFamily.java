package dev.bulwark.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One gauge name with labelled rows that are replaced as a whole on each refresh. A row that is not
 * published is absent from the scrape, which is how a value that cannot be computed shows (never a
 * fake zero). A row that stays is updated in place and never re-registered, so a scrape never sees
 * it missing between two refreshes (which would reset the {@code for:} of an alert).
 */
public final class GaugeFamily {

  private final MeterRegistry registry;
  private final String name;
  private final String help;
  private final Map<Tags, Row> rows = new HashMap<>();
  private final Map<Tags, Double> pending = new LinkedHashMap<>();

  private record Row(Gauge gauge, AtomicReference<Double> value) {}

  private GaugeFamily(MeterRegistry registry, String name, String help) {
    this.registry = registry;
    this.name = name;
    this.help = help;
  }

  /** A family named in Micrometer's dotted form ({@code bulwark.budget.spent.usd}). */
  public static GaugeFamily register(MeterRegistry registry, String name, String help) {
    return new GaugeFamily(registry, name, help);
  }

  /** Adds a row to the next {@link #publish()}; label names and values alternate. */
  public synchronized GaugeFamily row(double value, String... labels) {
    pending.put(Tags.of(labels), value);
    return this;
  }

  /** Makes the rows added since the last publish the exported ones, and drops the others. */
  public synchronized void publish() {
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

  /** How many rows the scrape shows now. */
  public synchronized int size() {
    return rows.size();
  }
}
