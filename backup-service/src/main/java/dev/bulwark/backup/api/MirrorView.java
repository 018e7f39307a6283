package dev.bulwark.backup.api;

import dev.bulwark.backup.mirror.Mirror;
import dev.bulwark.backup.mirror.MirrorRun;
import java.time.Instant;
import java.util.Optional;

/**
 * A configured mirror and its last run ({@code null} fields until it has run); storage locations
 * are shown without credentials.
 */
public record MirrorView(
    String name,
    String source,
    String destination,
    boolean deleteExtraneous,
    String interval,
    Instant lastRunStartedAt,
    Instant lastRunFinishedAt,
    Instant lastSuccessAt,
    Long lastRunFailedObjects,
    Long lastRunPendingObjects) {

  static MirrorView of(Mirror mirror, Optional<MirrorRun> run) {
    return new MirrorView(
        mirror.name(),
        mirror.source().location(),
        mirror.destination().location(),
        mirror.deleteExtraneous(),
        mirror.interval().toString(),
        run.map(MirrorRun::startedAt).orElse(null),
        run.map(MirrorRun::finishedAt).orElse(null),
        run.flatMap(MirrorRun::lastSuccessAt).orElse(null),
        run.map(MirrorRun::failedObjects).orElse(null),
        run.flatMap(MirrorRun::pendingObjects).orElse(null));
  }
}
