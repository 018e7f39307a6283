package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.config.PitrConfig;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The backup targets with point-in-time recovery: {@code bulwark.backup.targets.<name>} plus {@code
 * bulwark.backup.pitr.targets.<name>.enabled=true}.
 */
@ApplicationScoped
public class PitrTargets {

  private final BackupTargets targets;
  private final Set<String> enabled;

  @Inject
  public PitrTargets(BackupTargets targets, PitrConfig config) {
    this(targets, enabledIn(config));
  }

  /** The targets of {@code targets} named in {@code enabled} (tests and tools). */
  public PitrTargets(BackupTargets targets, Set<String> enabled) {
    this.targets = targets;
    this.enabled = Set.copyOf(enabled);
  }

  private static Set<String> enabledIn(PitrConfig config) {
    Set<String> names = new TreeSet<>();
    config
        .targets()
        .forEach(
            (name, pitr) -> {
              if (pitr.enabled()) {
                names.add(name);
              }
            });
    return names;
  }

  /**
   * The PITR target called {@code name}.
   *
   * @throws dev.bulwark.backup.dumps.TargetNotFound when no backup target has that name
   * @throws PitrNotEnabled when it has no PITR
   */
  public BackupTarget enabled(String name) {
    BackupTarget target = targets.named(name);
    if (!enabled.contains(name)) {
      throw new PitrNotEnabled(name);
    }
    return target;
  }

  /** The names of the PITR targets, sorted. */
  public SortedSet<String> names() {
    SortedSet<String> names = new TreeSet<>(enabled);
    names.retainAll(targets.names());
    return names;
  }
}
