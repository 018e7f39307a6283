package dev.bulwark.backup.api;

import jakarta.validation.constraints.NotBlank;

/**
 * {@code POST /api/v1/restores}: which backup, into which database of the target's server (created
 * when missing); {@code force} restores over a database that is not empty.
 */
public record RestoreBody(
    @NotBlank String target, @NotBlank String backupId, @NotBlank String database, Boolean force) {}
