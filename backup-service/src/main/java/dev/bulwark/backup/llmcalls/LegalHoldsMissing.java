package dev.bulwark.backup.llmcalls;

/**
 * Retention found no {@code backup.legal_holds} table: it drops nothing rather than drop a held
 * lead's calls.
 */
public class LegalHoldsMissing extends RuntimeException {
  public LegalHoldsMissing() {
    super(
        "backup.legal_holds does not exist; LLM-call retention drops nothing until it does",
        null,
        false,
        false);
  }
}
