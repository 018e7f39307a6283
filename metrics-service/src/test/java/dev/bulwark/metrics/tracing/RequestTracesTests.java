package dev.bulwark.metrics.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testing.TestJwt;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What metrics-service traces (common's {@code RequestTracesOnly} sampler): requests and calls to
 * budget-service start traces, SQL is recorded inside them, and the database queries of scheduled
 * jobs start none.
 */
@QuarkusTest
class RequestTracesTests {

  @Inject InMemorySpanExporter spans;

  @Test
  void sqlIsTracedInsideARequestButStartsNoTraceOfItsOwn() {
    spans.reset();

    // when: a request stores a lead, while jobs query the database every second on their own
    given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "leads",
                List.of(
                    Map.of(
                        "id", UUID.randomUUID().toString(),
                        "source", "crawler",
                        "createdAt", Instant.now().toString()))))
        .post("/api/v1/leads")
        .then()
        .statusCode(200)
        .body("stored", equalTo(1));

    // then: the request's SQL is in the request's trace, below its server span
    await("the request's spans, and three runs of the spend job")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              List<SpanData> finished = spans.getFinishedSpanItems();
              SpanData request =
                  finished.stream()
                      .filter(s -> s.getKind() == SpanKind.SERVER && mentions(s, "/api/v1/leads"))
                      .findFirst()
                      .orElseThrow(() -> new AssertionError("no server span for POST leads"));
              assertThat(finished)
                  .filteredOn(s -> isSql(s) && s.getTraceId().equals(request.getTraceId()))
                  .isNotEmpty();
              // The spend job's calls (a trace each) show that the jobs ran meanwhile: the store
              // refresh queries the database at the same pace.
              assertThat(finished)
                  .filteredOn(s -> s.getKind() == SpanKind.CLIENT && mentions(s, "/api/v1/spend"))
                  .hasSizeGreaterThanOrEqualTo(3);
            });
    // and no SQL span started a trace of its own
    assertThat(spans.getFinishedSpanItems())
        .filteredOn(RequestTracesTests::isSql)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.getParentSpanContext().isValid()).isTrue());
  }

  private static boolean isSql(SpanData span) {
    return span.getAttributes().get(AttributeKey.stringKey("db.system")) != null
        || span.getAttributes().get(AttributeKey.stringKey("db.system.name")) != null;
  }

  private static boolean mentions(SpanData span, String path) {
    return span.getAttributes().asMap().values().stream()
        .anyMatch(value -> String.valueOf(value).contains(path));
  }
}
