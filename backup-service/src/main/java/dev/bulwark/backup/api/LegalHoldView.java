package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.LegalHold;
import java.time.Instant;

/** A lead under legal hold. */
public record LegalHoldView(String leadId, String reason, Instant createdAt) {

  static LegalHoldView of(LegalHold hold) {
    return new LegalHoldView(hold.leadId(), hold.reason(), hold.createdAt());
  }
}
