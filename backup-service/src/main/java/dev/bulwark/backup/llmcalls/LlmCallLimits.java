package dev.bulwark.backup.llmcalls;

/** Sizes the archive accepts for the short fields of a call. */
public final class LlmCallLimits {

  /** Longest id, provider, model, lead id, step, reservation id, status or message role. */
  public static final int MAX_NAME = 200;

  private LlmCallLimits() {}
}
