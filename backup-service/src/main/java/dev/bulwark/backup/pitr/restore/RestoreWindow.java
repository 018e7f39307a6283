package dev.bulwark.backup.pitr.restore;

import java.time.Instant;

/**
 * The times a target can be restored to: from the end of its oldest base backup to the newest
 * archived WAL (the time that WAL file was stored, which is at or after its last record).
 */
public record RestoreWindow(Instant from, Instant to) {}
