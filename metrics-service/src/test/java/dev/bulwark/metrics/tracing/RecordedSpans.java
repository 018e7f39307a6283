package dev.bulwark.metrics.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes Quarkus export metrics-service's spans to memory in tests (a {@code SpanExporter} bean
 * replaces the OTLP exporter), so that a test can read the spans it caused.
 */
@ApplicationScoped
public class RecordedSpans {

  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }
}
