package dev.bulwark.backup.restore;

/**
 * Restore backup {@code backupId} of {@code target} into {@code database} on the target's server.
 *
 * @param force restore into a database that is not empty, replacing the backup's objects there
 *     ({@code pg_restore --clean --if-exists}); objects not in the backup are kept
 */
public record RestoreRequest(String target, String backupId, String database, boolean force) {}
