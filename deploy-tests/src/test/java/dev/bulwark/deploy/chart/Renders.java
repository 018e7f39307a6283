package dev.bulwark.deploy.chart;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The chart rendered once per test JVM with default and with production values. */
final class Renders {

  static final RenderedChart DEFAULTS = Chart.render();
  static final RenderedChart PRODUCTION = Chart.render(Chart.PRODUCTION_VALUES);

  private Renders() {}

  /** Arguments (values name, rendered chart) for both value sets. */
  static Stream<Arguments> both() {
    return Stream.of(Arguments.of("default", DEFAULTS), Arguments.of("production", PRODUCTION));
  }

  /** Arguments (values name, rendered chart, service) for both value sets and every service. */
  static Stream<Arguments> everyService() {
    return both()
        .flatMap(
            values ->
                RenderedChart.SERVICES.stream()
                    .map(service -> Arguments.of(values.get()[0], values.get()[1], service)));
  }
}
