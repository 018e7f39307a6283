package dev.bulwark.backup.mirror;

import dev.bulwark.backup.config.MirrorConfig;
import dev.bulwark.backup.config.StorageConfig;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.ObjectStorages;
import dev.bulwark.backup.storage.StorageSettings;
import dev.bulwark.backup.storage.StorageUrl;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The configured mirrors by name, checked and opened at start-up, so that unusable settings stop
 * the service with a message naming them.
 */
@ApplicationScoped
@Startup
public class Mirrors {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final String PREFIX = "bulwark.backup.mirrors.";

  private final TreeMap<String, Mirror> byName;
  private final List<ObjectStorage> opened = new ArrayList<>();

  @Inject
  public Mirrors(MirrorConfig config, StorageConfig own, ObjectStorage ownStorage) {
    this.byName = new TreeMap<>();
    try {
      config
          .mirrors()
          .forEach((name, settings) -> byName.put(name, open(name, settings, own, ownStorage)));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Mirrors given directly (tests and tools); their storages stay the caller's to close. */
  public Mirrors(Map<String, Mirror> byName) {
    byName.keySet().forEach(Mirrors::checkName);
    this.byName = new TreeMap<>(byName);
  }

  /**
   * The mirror called {@code name}.
   *
   * @throws MirrorNotFound when no mirror has that name
   */
  public Mirror named(String name) {
    Mirror mirror = byName.get(name);
    if (mirror == null) {
      throw new MirrorNotFound(name, names());
    }
    return mirror;
  }

  /** The configured names, in order. */
  public Set<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byName.keySet()));
  }

  @PreDestroy
  void close() {
    opened.forEach(ObjectStorage::close);
  }

  private Mirror open(
      String name, MirrorConfig.Mirror config, StorageConfig own, ObjectStorage ownStorage) {
    checkName(name);
    Location source =
        config
            .source()
            .map(side -> Location.of(side.url(), side.endpoint()))
            .orElse(Location.of(own.url(), own.endpoint()));
    Location destination = Location.of(config.destination().url(), config.destination().endpoint());
    if (source.overlaps(destination)) {
      throw new IllegalArgumentException(
          PREFIX
              + name
              + ".destination.url "
              + destination.url()
              + " overlaps the mirror's source "
              + source.url()
              + "; a mirror must copy to another bucket, prefix or directory");
    }
    ObjectStorage from =
        config.source().isPresent()
            ? opened(config.source().get().settings(PREFIX + name + ".source"))
            : ownStorage;
    ObjectStorage to = opened(config.destination().settings(PREFIX + name + ".destination"));
    return new Mirror(name, from, to, config.deleteExtraneous(), config.interval());
  }

  private ObjectStorage opened(StorageSettings settings) {
    ObjectStorage storage = ObjectStorages.open(settings);
    opened.add(storage);
    return storage;
  }

  // A name is a metric label, a job name and a key in the state table: keep it plain.
  private static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "mirror name '"
              + name
              + "' in "
              + PREFIX
              + name
              + ".* must be letters, digits, - and _ only");
    }
  }

  /** Where a storage is, to refuse a mirror onto itself or into its own source. */
  private record Location(StorageUrl url, Optional<URI> endpoint) {

    static Location of(StorageUrl url, Optional<URI> endpoint) {
      return new Location(url, endpoint);
    }

    boolean overlaps(Location other) {
      if (url instanceof StorageUrl.File a && other.url instanceof StorageUrl.File b) {
        return a.root().startsWith(b.root()) || b.root().startsWith(a.root());
      }
      if (url instanceof StorageUrl.S3 a && other.url instanceof StorageUrl.S3 b) {
        return endpoint.equals(other.endpoint)
            && a.bucket().equals(b.bucket())
            && (a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix()));
      }
      return false;
    }
  }
}
