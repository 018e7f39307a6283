package dev.bulwark.backup.api;

import java.util.List;

/** {@code POST /api/v1/archive/llm-calls}: the calls to archive, stored all or none. */
public record LlmCallBatchRequest(List<LlmCallRequest> calls) {}
