package dev.bulwark.backup.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a lead's archived records must be kept (a case number, a request). */
public record LegalHoldRequest(@NotBlank @Size(max = 1000) String reason) {}
