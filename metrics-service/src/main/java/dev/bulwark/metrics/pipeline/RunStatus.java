package dev.bulwark.metrics.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a pipeline run stands. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RunStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
