package dev.bulwark.backup.pages;

import java.time.Instant;

/** A lead whose archived records retention keeps, and why. */
public record LegalHold(String leadId, String reason, Instant createdAt) {}
