package dev.bulwark.common.security;

/** Role names carried in the JWT {@code groups} claim. */
public final class Roles {

  /** Administers the suite: budgets, drills, restores. */
  public static final String OPERATOR = "operator";

  /** The pipeline's own services: gate calls, events, archive writes. */
  public static final String PIPELINE = "pipeline";

  /** Read-only access to state and reports. */
  public static final String VIEWER = "viewer";

  private Roles() {}
}
