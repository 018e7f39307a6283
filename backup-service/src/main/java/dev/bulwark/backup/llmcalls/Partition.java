package dev.bulwark.backup.llmcalls;

import java.time.Instant;

/** A month partition of the archived calls: its table and the first instant of its month. */
public record Partition(String table, Instant month) {}
