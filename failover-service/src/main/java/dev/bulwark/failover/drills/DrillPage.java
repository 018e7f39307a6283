package dev.bulwark.failover.drills;

import java.util.List;
import java.util.Optional;

/** One page of drills, newest first, and where the next starts. */
public record DrillPage(List<Drill> drills, Optional<DrillCursor> next) {}
