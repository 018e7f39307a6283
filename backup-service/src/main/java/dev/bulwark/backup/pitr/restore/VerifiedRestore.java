package dev.bulwark.backup.pitr.restore;

import java.time.Instant;
import java.util.Optional;

/**
 * The newest passed restore verification of a target, stored as {@code
 * pitr/<target>/verified-restore.json} so that every replica exports the same value.
 */
public record VerifiedRestore(
    String target,
    Instant verifiedAt,
    String baseBackupId,
    Optional<Instant> reachedTime,
    Optional<String> reachedLsn,
    long tables) {}
