package dev.bulwark.backup.api;

import dev.bulwark.backup.dumps.BackupVerification;
import java.time.Instant;
import java.util.List;

/** The latest verification of a backup. */
public record VerificationView(
    boolean passed, Instant startedAt, Instant finishedAt, List<String> mismatches) {

  static VerificationView of(BackupVerification verification) {
    return new VerificationView(
        verification.passed(),
        verification.startedAt(),
        verification.finishedAt(),
        verification.mismatches());
  }
}
