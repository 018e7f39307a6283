package dev.bulwark.backup.dumps;

import dev.bulwark.backup.config.BackupConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The configured targets by name, checked at start-up. */
@ApplicationScoped
public class BackupTargets {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private final Map<String, BackupTarget> byName;

  @Inject
  public BackupTargets(BackupConfig config) {
    this(fromConfig(config));
  }

  /** Targets given directly (tests and tools). */
  public BackupTargets(Map<String, BackupTarget> byName) {
    byName.keySet().forEach(BackupTargets::checkName);
    this.byName = Map.copyOf(byName);
  }

  /**
   * The target called {@code name}.
   *
   * @throws TargetNotFound when no target has that name
   */
  public BackupTarget named(String name) {
    BackupTarget target = byName.get(name);
    if (target == null) {
      throw new TargetNotFound(name, new TreeMap<>(byName).keySet());
    }
    return target;
  }

  /** The names of all targets, sorted. */
  public SortedSet<String> names() {
    return new TreeSet<>(byName.keySet());
  }

  private static Map<String, BackupTarget> fromConfig(BackupConfig config) {
    Map<String, BackupTarget> targets = new TreeMap<>();
    config
        .targets()
        .forEach(
            (name, t) ->
                targets.put(name, BackupTarget.parse(name, t.url(), t.username(), t.password())));
    return targets;
  }

  // A name becomes a segment of object keys (backups/<name>/...), so it must be a valid one.
  private static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "backup target name '"
              + name
              + "' must be letters, digits and . _ - (it names the target's objects)");
    }
  }
}
