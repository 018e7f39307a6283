package dev.bulwark.backup.llmcalls;

import static io.restassured.RestAssured.given;

import dev.bulwark.testing.TestJwt;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Calls as the pipeline sends them, and the batch request, for the archive's tests. */
final class LlmCalls {

  static final String PATH = "/api/v1/archive/llm-calls";
  static final String PIPELINE = TestJwt.token("pipeline");
  static final String VIEWER = TestJwt.token("viewer");

  private LlmCalls() {}

  /** A valid call with a fresh id; tests change the fields they are about. */
  static Map<String, Object> call(Instant startedAt, String leadId) {
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("id", "call-" + UUID.randomUUID());
    call.put("provider", "openai");
    call.put("model", "gpt-4o-mini");
    call.put("startedAt", startedAt.toString());
    call.put("prompt", "Summarise the homepage of lead " + leadId);
    call.put("completion", "A bakery in Lyon.");
    call.put("inputTokens", 812);
    call.put("outputTokens", 41);
    call.put("costUsd", "0.000147");
    call.put("latencyMs", 930);
    call.put("status", "succeeded");
    call.put("leadId", leadId);
    call.put("step", "enrich");
    call.put("reservationId", UUID.randomUUID().toString());
    return call;
  }

  static ValidatableResponse post(List<Map<String, Object>> calls) {
    return given()
        .auth()
        .oauth2(PIPELINE)
        .contentType("application/json")
        .body(Map.of("calls", calls))
        .post(PATH)
        .then();
  }
}
