package dev.bulwark.budget.budgets;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code enforce} denies what does not fit; {@code observe} only records. */
public enum Mode {
  ENFORCE,
  OBSERVE;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Mode fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
