package dev.bulwark.common.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The sampler of every service: traces start at a request or at a call to another service, never at
 * a bare SQL statement. Scheduled jobs and readiness checks query the database every few seconds on
 * every replica; as traces of their own they would bury the requests' traces. SQL inside a request
 * or a traced call is kept, as a child of its span.
 */
@Singleton
public class RequestTracesOnly implements Sampler {

  // The SQL client's spans carry one of these (older and newer semantic conventions).
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_SYSTEM_NAME =
      AttributeKey.stringKey("db.system.name");

  private final Sampler delegate = Sampler.parentBased(Sampler.alwaysOn());

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    boolean root = !Span.fromContext(parentContext).getSpanContext().isValid();
    if (root && isSql(spanKind, attributes)) {
      return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  private static boolean isSql(SpanKind kind, Attributes attributes) {
    return kind == SpanKind.CLIENT
        && (attributes.get(DB_SYSTEM) != null || attributes.get(DB_SYSTEM_NAME) != null);
  }

  @Override
  public String getDescription() {
    return "RequestTracesOnly{" + delegate.getDescription() + "}";
  }
}
