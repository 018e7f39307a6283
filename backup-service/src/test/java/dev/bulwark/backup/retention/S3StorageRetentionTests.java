package dev.bulwark.backup.retention;

import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.S3Clients;
import dev.bulwark.backup.storage.S3Storage;
import dev.bulwark.backup.storage.StorageUrl;
import dev.bulwark.testing.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** Retention on {@code s3://} against S3Proxy, listing in small pages. */
class S3StorageRetentionTests extends RetentionOnStorageTests {

  private static final String BUCKET = "retention";
  private static final int PART_SIZE = 5 * 1024 * 1024;
  private static final int PAGE_SIZE = 50;

  private static S3Server server;
  private static ObjectStorage storage;

  @BeforeAll
  static void startS3() {
    server = S3Server.start();
    S3Client s3 = S3Clients.of(server);
    s3.createBucket(b -> b.bucket(BUCKET));
    storage = new S3Storage(s3, new StorageUrl.S3(BUCKET, "bulwark/"), PART_SIZE, PAGE_SIZE);
  }

  @AfterAll
  static void stopS3() {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  ObjectStorage openStorage() {
    return storage;
  }
}
