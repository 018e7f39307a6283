package dev.bulwark.metrics.email;

import java.util.Arrays;
import java.util.Optional;

/** What ranks campaigns in the email stats, largest first: the count behind an alert. */
public enum CampaignOrder {
  /** Hard and soft bounces together: the default. */
  BOUNCES("bounces"),
  /** Hard bounces only, the numerator of {@code bulwark_email_bounce_ratio}. */
  HARD_BOUNCES("hardBounces"),
  /** Spam complaints, the numerator of {@code bulwark_email_complaint_ratio}. */
  COMPLAINTS("complaints");

  private final String wire;

  CampaignOrder(String wire) {
    this.wire = wire;
  }

  /** The name in {@code ?sort=}. */
  public String wire() {
    return wire;
  }

  public static Optional<CampaignOrder> named(String wire) {
    return Arrays.stream(values()).filter(o -> o.wire.equals(wire)).findFirst();
  }

  /** The count a campaign is ranked by. */
  public long keyOf(WindowCounts counts) {
    return switch (this) {
      case BOUNCES -> counts.bounces();
      case HARD_BOUNCES -> counts.hardBounces();
      case COMPLAINTS -> counts.complaints();
    };
  }
}
