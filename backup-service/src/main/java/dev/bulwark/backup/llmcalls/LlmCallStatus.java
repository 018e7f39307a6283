package dev.bulwark.backup.llmcalls;

import java.util.Arrays;
import java.util.Optional;

/** How an LLM call ended. */
public enum LlmCallStatus {
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  TIMED_OUT("timed-out"),
  CANCELLED("cancelled");

  private final String wire;

  LlmCallStatus(String wire) {
    this.wire = wire;
  }

  /** The name on the wire and in the database. */
  public String wire() {
    return wire;
  }

  public static Optional<LlmCallStatus> named(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }

  /** The names, for messages that list what is accepted. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(LlmCallStatus::wire).toList());
  }
}
