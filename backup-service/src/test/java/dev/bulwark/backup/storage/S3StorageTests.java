package dev.bulwark.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testing.FreePorts;
import dev.bulwark.testing.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The contract on {@code s3://} against a real S3 API (S3Proxy), plus S3's failure modes. */
class S3StorageTests extends ObjectStorageContractTests {

  static final String BUCKET = "backups";

  static S3Server server;
  static S3Client admin;
  static ObjectStorage storage;

  @BeforeAll
  static void startS3() {
    server = S3Server.start();
    admin = adminBuilder().build();
    admin.createBucket(b -> b.bucket(BUCKET));
    storage =
        ObjectStorages.open(config("s3://" + BUCKET + "/bulwark/", server.endpoint().toString()));
  }

  static S3ClientBuilder adminBuilder() {
    return S3Clients.builder(server);
  }

  @AfterAll
  static void stopS3() {
    if (storage != null) {
      storage.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static Map<String, String> settings(String url, String endpoint) {
    Map<String, String> settings = new HashMap<>();
    settings.put("bulwark.backup.storage.url", url);
    settings.put("bulwark.backup.storage.endpoint", endpoint);
    settings.put("bulwark.backup.storage.path-style", "true");
    settings.put("bulwark.backup.storage.part-size", "5M");
    settings.put("bulwark.backup.storage.list-page-size", String.valueOf(PAGE_SIZE));
    settings.put("bulwark.backup.storage.access-key-id", S3Server.ACCESS_KEY);
    settings.put("bulwark.backup.storage.secret-access-key", S3Server.SECRET_KEY);
    settings.put("bulwark.backup.storage.connect-timeout", "1s");
    settings.put("bulwark.backup.storage.attempt-timeout", "1s");
    return settings;
  }

  static dev.bulwark.backup.config.StorageConfig config(String url, String endpoint) {
    return StorageConfigs.of(settings(url, endpoint));
  }

  @Override
  ObjectStorage storage() {
    return storage;
  }

  @Override
  void startUnfinishedWrite(ObjectKey key) {
    String upload =
        admin.createMultipartUpload(b -> b.bucket(BUCKET).key("bulwark/" + key.value())).uploadId();
    admin.uploadPart(
        b -> b.bucket(BUCKET).key("bulwark/" + key.value()).uploadId(upload).partNumber(1),
        RequestBody.fromString("half a dump"));
  }

  @Override
  void assertNoUnfinishedWrites() {
    assertThat(admin.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
  }

  @Test
  void keepsItsObjectsUnderTheUrlsPrefix() throws IOException {
    storage.put(key("one"), out -> out.write('1'));

    assertThat(admin.listObjectsV2(b -> b.bucket(BUCKET).prefix("bulwark/" + run)).contents())
        .extracting(o -> o.key())
        .containsExactly("bulwark/" + run + "one");
    assertThat(storage.location()).isEqualTo("s3://backups/bulwark/");
  }

  @Test
  void uploadsALargeObjectAsPartsOfThePartSize() throws IOException {
    List<String> requests = new CopyOnWriteArrayList<>();
    try (S3Client recorded = recordingClient(requests);
        ObjectStorage parts =
            new S3Storage(recorded, new StorageUrl.S3(BUCKET, "bulwark/"), PART_SIZE, PAGE_SIZE)) {
      RandomContent content = RandomContent.of(3, 12L * MIB);

      parts.put(key("parts.bin"), content);

      // 12 MiB in parts of 5 MiB: 5 + 5 + 2, the last one smaller as S3 allows.
      assertThat(requests)
          .containsExactly(
              "CreateMultipartUploadRequest",
              "UploadPartRequest",
              "UploadPartRequest",
              "UploadPartRequest",
              "CompleteMultipartUploadRequest",
              "HeadObjectRequest");
      try (InputStream in = parts.get(key("parts.bin"))) {
        assertThat(RandomContent.sha256Of(in)).isEqualTo(content.sha256());
      }
    }
  }

  @Test
  void uploadsAnObjectOfOnePartInOneRequest() throws IOException {
    List<String> requests = new CopyOnWriteArrayList<>();
    try (S3Client recorded = recordingClient(requests);
        ObjectStorage small =
            new S3Storage(recorded, new StorageUrl.S3(BUCKET, "bulwark/"), PART_SIZE, PAGE_SIZE)) {

      small.put(key("small.bin"), RandomContent.of(4, PART_SIZE));

      assertThat(requests).containsExactly("PutObjectRequest", "HeadObjectRequest");
    }
  }

  /** A client that records the type of each request it sends. */
  static S3Client recordingClient(List<String> requests) {
    ExecutionInterceptor recorder =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
            requests.add(context.request().getClass().getSimpleName());
          }
        };
    return adminBuilder().overrideConfiguration(o -> o.addExecutionInterceptor(recorder)).build();
  }

  @Test
  void anUnreachableEndpointIsStorageUnavailablePromptly() {
    int closedPort = FreePorts.next();
    try (ObjectStorage down =
        ObjectStorages.open(config("s3://" + BUCKET + "/", "http://127.0.0.1:" + closedPort))) {
      Instant start = Instant.now();

      assertThatThrownBy(() -> down.head(ObjectKey.of("any")))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("s3://backups/")
          .hasMessageNotContaining(S3Server.SECRET_KEY)
          .hasMessageNotContaining(S3Server.ACCESS_KEY);
      assertThatThrownBy(() -> down.put(ObjectKey.of("any"), out -> out.write(1)))
          .isInstanceOf(StorageUnavailable.class);
      assertThatThrownBy(() -> down.list("").toList()).isInstanceOf(StorageUnavailable.class);

      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void anEndpointThatNeverAnswersIsStorageUnavailableAfterTheAttemptTimeout() throws IOException {
    // The kernel accepts connections into the backlog; nobody ever reads or answers them.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ObjectStorage hung =
            ObjectStorages.open(
                config("s3://" + BUCKET + "/", "http://127.0.0.1:" + silent.getLocalPort()))) {
      Instant start = Instant.now();

      assertThatThrownBy(() -> hung.head(ObjectKey.of("any")))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageNotContaining(S3Server.SECRET_KEY);

      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
    }
  }

  @Test
  void aMissingBucketIsStorageUnavailable() {
    try (ObjectStorage noBucket =
        ObjectStorages.open(config("s3://no-such-bucket/", server.endpoint().toString()))) {
      assertThatThrownBy(() -> noBucket.put(ObjectKey.of("x"), out -> out.write(1)))
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("NoSuchBucket");
    }
  }

  @Test
  void wrongCredentialsAreStorageUnavailableWithoutTheSecret() {
    Map<String, String> settings = settings("s3://" + BUCKET + "/", server.endpoint().toString());
    settings.put("bulwark.backup.storage.secret-access-key", "wrong-secret-value");
    try (ObjectStorage rejected = ObjectStorages.open(StorageConfigs.of(settings))) {
      assertThatThrownBy(() -> rejected.list("").toList())
          .isInstanceOf(StorageUnavailable.class)
          .hasMessageContaining("403")
          .hasMessageNotContaining("wrong-secret-value");
    }
  }
}
