package dev.bulwark.budget.gate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a reservation stands: held until committed, released or expired; or denied outright. */
public enum ReservationStatus {
  HELD,
  COMMITTED,
  RELEASED,
  EXPIRED,
  DENIED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ReservationStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
