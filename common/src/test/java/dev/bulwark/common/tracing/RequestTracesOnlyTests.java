package dev.bulwark.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTracesOnlyTests {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final Attributes SQL = Attributes.builder().put("db.system", "postgresql").build();
  private static final Attributes NEW_SQL =
      Attributes.builder().put("db.system.name", "postgresql").build();

  private final RequestTracesOnly sampler = new RequestTracesOnly();

  @Test
  void sqlOutsideAnyTraceStartsNoTrace() {
    assertThat(decide(Context.root(), SpanKind.CLIENT, SQL)).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(Context.root(), SpanKind.CLIENT, NEW_SQL)).isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void sqlInsideARequestIsRecordedAsItsChild() {
    Context request = Context.root().with(Span.wrap(sampledParent()));
    assertThat(decide(request, SpanKind.CLIENT, SQL)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void requestsAndCallsToOtherServicesStartTraces() {
    assertThat(decide(Context.root(), SpanKind.SERVER, Attributes.empty()))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    Attributes call = Attributes.builder().put("http.request.method", "GET").build();
    assertThat(decide(Context.root(), SpanKind.CLIENT, call))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void aCallerThatDidNotSampleIsFollowed() {
    SpanContext unsampled =
        SpanContext.createFromRemoteParent(
            TRACE, "b7ad6b7169203331", TraceFlags.getDefault(), TraceState.getDefault());
    assertThat(
            decide(Context.root().with(Span.wrap(unsampled)), SpanKind.SERVER, Attributes.empty()))
        .isEqualTo(SamplingDecision.DROP);
  }

  private SamplingDecision decide(Context parent, SpanKind kind, Attributes attributes) {
    return sampler.shouldSample(parent, TRACE, "span", kind, attributes, List.of()).getDecision();
  }

  private static SpanContext sampledParent() {
    return SpanContext.createFromRemoteParent(
        TRACE, "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
  }
}
