package dev.bulwark.budget.spend;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Spend committed in {@code [from, to)}, filtered and grouped as asked. */
public record SpendQuery(
    Instant from,
    Instant to,
    List<Dimension> groupBy,
    Optional<String> category,
    Optional<String> team,
    Optional<UUID> budgetId) {}
