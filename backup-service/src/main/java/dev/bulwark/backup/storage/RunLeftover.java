package dev.bulwark.backup.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The objects of one run (a backup id) that has no manifest: a run in progress, or what a run that
 * did not finish left (pieces a failed run could not delete, a deletion cut short). One way for
 * dumps and base backups; retention deletes those whose newest object is older than its grace.
 *
 * @param backupId the run's id
 * @param keys its objects
 * @param lastWritten when the newest of them was written
 */
public record RunLeftover(String backupId, List<ObjectKey> keys, Instant lastWritten) {

  public RunLeftover {
    keys = List.copyOf(keys);
  }

  /**
   * The runs under {@code prefix} without a manifest, by id; {@code idOf} reads a key's run id
   * (empty for keys of no run), {@code isManifest} tells a run's manifest.
   */
  public static List<RunLeftover> under(
      ObjectStorage storage,
      String prefix,
      Function<ObjectKey, Optional<String>> idOf,
      Predicate<ObjectKey> isManifest) {
    Map<String, List<StoredObject>> byRun = new TreeMap<>();
    Set<String> withManifest = new HashSet<>();
    try (Stream<StoredObject> objects = storage.list(prefix)) {
      objects.forEach(
          object ->
              idOf.apply(object.key())
                  .ifPresent(
                      id -> {
                        byRun.computeIfAbsent(id, x -> new ArrayList<>()).add(object);
                        if (isManifest.test(object.key())) {
                          withManifest.add(id);
                        }
                      }));
    }
    List<RunLeftover> leftovers = new ArrayList<>();
    byRun.forEach(
        (id, objects) -> {
          if (!withManifest.contains(id)) {
            leftovers.add(
                new RunLeftover(
                    id,
                    objects.stream().map(StoredObject::key).toList(),
                    objects.stream()
                        .map(StoredObject::lastModified)
                        .max(Instant::compareTo)
                        .orElseThrow()));
          }
        });
    return leftovers;
  }
}
