package dev.bulwark.metrics.email;

/** Email events counted in one window (or one campaign's part of it), by kind. */
public record WindowCounts(
    long delivered, long hardBounces, long softBounces, long complaints, long deferred) {

  public long bounces() {
    return hardBounces + softBounces;
  }

  /** Hard bounces / (delivered + hard bounces); null when nothing was sent. */
  public Double bounceRatio() {
    long sent = delivered + hardBounces;
    return sent == 0 ? null : (double) hardBounces / sent;
  }

  /** Complaints / delivered; null when nothing was delivered. */
  public Double complaintRatio() {
    return delivered == 0 ? null : (double) complaints / delivered;
  }
}
