package dev.bulwark.backup.dumps;

/** Fired (CDI event) once a backup's manifest is written, so that it can be verified. */
public record BackupTaken(BackupManifest backup) {}
