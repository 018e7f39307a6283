package dev.bulwark.backup.storage;

import dev.bulwark.testing.S3Server;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One bucket on a real S3Proxy, and the service's storage on it ({@code s3://<bucket>/}) with short
 * timeouts, so that a test can kill storage (SIGKILL) mid-request and bring it back at the same
 * address with the same objects.
 */
public final class S3Bucket implements AutoCloseable {

  private final String name;
  private S3Server server;

  private S3Bucket(String name, S3Server server) {
    this.name = name;
    this.server = server;
  }

  /** Starts S3Proxy on a free port and creates bucket {@code name}. */
  public static S3Bucket start(String name) {
    S3Server server = S3Server.start();
    try (S3Client admin = S3Clients.of(server)) {
      admin.createBucket(b -> b.bucket(name));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return new S3Bucket(name, server);
  }

  /** Storage on the bucket, opened as the service opens it. */
  public ObjectStorage storage() {
    return storage(Map.of());
  }

  /** Storage on the bucket with {@code more} of the {@code bulwark.backup.storage.*} settings. */
  public ObjectStorage storage(Map<String, String> more) {
    return ObjectStorages.open(StorageConfigs.of(settings(more)));
  }

  private Map<String, String> settings(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>();
    settings.put("bulwark.backup.storage.url", "s3://" + name + "/");
    settings.put("bulwark.backup.storage.endpoint", server.endpoint().toString());
    settings.put("bulwark.backup.storage.path-style", "true");
    settings.put("bulwark.backup.storage.access-key-id", S3Server.ACCESS_KEY);
    settings.put("bulwark.backup.storage.secret-access-key", S3Server.SECRET_KEY);
    // An outage is noticed in seconds, not after the SDK's default minutes.
    settings.put("bulwark.backup.storage.connect-timeout", "1s");
    settings.put("bulwark.backup.storage.attempt-timeout", "5s");
    settings.putAll(more);
    return settings;
  }

  /** Kills S3Proxy at once (SIGKILL), keeping its objects. */
  public void kill() {
    server.kill();
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  /** Starts S3Proxy again after {@link #kill}, on the same port and objects. */
  public void startAgain() {
    server = server.startAgain();
  }

  @Override
  public void close() {
    server.close();
  }
}
