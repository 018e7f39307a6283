package dev.bulwark.backup.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@link ObjectStorages#open(StorageSettings)} needs to open one storage, from {@code
 * bulwark.backup.storage} or a mirror's side; {@code prefix} is where the settings live, so that a
 * refusal names the setting to fix.
 */
public record StorageSettings(
    String prefix,
    StorageUrl url,
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    long partSize,
    int listPageSize,
    Optional<String> accessKeyId,
    Optional<String> secretAccessKey,
    Duration connectTimeout,
    Duration attemptTimeout) {

  /** The environment variable that sets {@code prefix.<name>}. */
  String environmentName(String name) {
    return (prefix + "." + name).toUpperCase().replaceAll("[^A-Z0-9]", "_");
  }

  // A record prints every component: keep the secret out of logs and messages.
  @Override
  public String toString() {
    return "StorageSettings[" + prefix + ", url=" + url + ", endpoint=" + endpoint + "]";
  }
}
