package dev.bulwark.backup.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;

/**
 * {@code POST /api/v1/pitr/restores}: the target and exactly one of {@code time}, {@code lsn} or
 * {@code latest: true}; {@code directory} for the data (else a new one under the scratch
 * directory); {@code start} (default true) recovers it in a scratch instance and reports the point
 * reached, false leaves it for an operator to start.
 */
public record PitrRestoreBody(
    @NotBlank String target,
    Instant time,
    @Pattern(
            regexp = "[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}",
            message = "must be an LSN like 0/3000060")
        String lsn,
    Boolean latest,
    String directory,
    Boolean start) {}
