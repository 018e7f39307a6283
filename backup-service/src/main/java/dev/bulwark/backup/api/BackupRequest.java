package dev.bulwark.backup.api;

import jakarta.validation.constraints.NotBlank;

/** {@code POST /api/v1/backups}: the target to back up now. */
public record BackupRequest(@NotBlank String target) {}
