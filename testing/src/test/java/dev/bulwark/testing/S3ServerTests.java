package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3ServerTests {

  @Test
  void storesAndReturnsObjectsOverTheS3Api() {
    try (S3Server server = S3Server.start();
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .forcePathStyle(true)
                // S3Proxy predates the SDK's default CRC checksums; send them only when required.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .build()) {
      s3.createBucket(b -> b.bucket("archive"));
      s3.putObject(b -> b.bucket("archive").key("a/b.txt"), RequestBody.fromString("payload"));

      String body = s3.getObjectAsBytes(b -> b.bucket("archive").key("a/b.txt")).asUtf8String();

      assertThat(body).isEqualTo("payload");
      assertThat(s3.listObjectsV2(b -> b.bucket("archive")).contents()).hasSize(1);
    }
  }

  @Test
  void stopsItsProcessWhenClosed() {
    S3Server server = S3Server.start();
    assertThat(server.isRunning()).isTrue();

    server.close();

    assertThat(server.isRunning()).isFalse();
  }
}
