package dev.bulwark.backup.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.exported.PageCounters;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.ObjectStorages;
import dev.bulwark.backup.storage.S3Clients;
import dev.bulwark.backup.storage.StorageConfigs;
import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.backup.store.PageBatchStore;
import dev.bulwark.backup.store.PageStore;
import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.S3Server;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Pages on a real S3 (S3Proxy): stored and read back, and nothing indexed while it is down. */
@QuarkusTest
class PagesOnS3Tests {

  @Inject PageStore store;
  @Inject PageBatchStore batchStore;
  // The service's dictionaries (in its file storage): other tests may have trained one.
  @Inject PageDictionaries dictionaries;
  @Inject PageCounters counters;
  @Inject OutageLog outages;
  @Inject PagesConfig config;
  @Inject Clock clock;
  @InjectPostgres PostgresCluster postgres;

  @Test
  void aPageIsStoredOnS3AndNothingIsIndexedWhileS3IsDown() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (S3Server server = S3Server.start()) {
      try (S3Client admin = S3Clients.of(server)) {
        admin.createBucket(b -> b.bucket("archive"));
      }
      try (ObjectStorage s3 = ObjectStorages.open(StorageConfigs.of(settings(server)))) {
        Pages pages = pages(s3);
        byte[] html = SampleHtml.page("s3 " + run, 1, "light");

        StoredPage stored =
            pages.store(upload("https://s3-" + run + ".example/", html)).await().indefinitely();
        PageHtml back = pages.html(stored.page().id(), List.of()).await().indefinitely();

        assertThat(stored.deduplicated()).isFalse();
        assertThat(s3.head(stored.page().object().key())).isPresent();
        assertThat(back.body()).isEqualTo(html);

        server.kill();
        String down = "https://s3-down-" + run + ".example/";
        assertThatThrownBy(
                () ->
                    pages
                        .store(upload(down, SampleHtml.page("down " + run, 2, "light")))
                        .await()
                        .indefinitely())
            .isInstanceOf(StorageUnavailable.class);
        assertThat(
                postgres
                    .primary()
                    .queryValue("SELECT count(*) FROM backup.pages WHERE url = '" + down + "'"))
            .isEqualTo("0");
      }
    }
  }

  private Pages pages(ObjectStorage s3) {
    PageObjectWrites writes = new PageObjectWrites(s3, outages, dictionaries, config, clock);
    PageGroupWrites groups =
        new PageGroupWrites(batchStore, dictionaries, writes, counters, config, clock);
    return new Pages(
        s3, store, dictionaries, new PageGroupCommit(groups, counters, config), config, clock);
  }

  private static PageUpload upload(String url, byte[] html) {
    return new PageUpload(
        PageUrl.parse(url),
        Instant.parse("2026-11-01T10:00:00Z"),
        200,
        Optional.of("text/html"),
        Optional.empty(),
        ContentEncoding.IDENTITY,
        html);
  }

  private static Map<String, String> settings(S3Server server) {
    return Map.of(
        "bulwark.backup.storage.url", "s3://archive/",
        "bulwark.backup.storage.endpoint", server.endpoint().toString(),
        "bulwark.backup.storage.path-style", "true",
        "bulwark.backup.storage.access-key-id", S3Server.ACCESS_KEY,
        "bulwark.backup.storage.secret-access-key", S3Server.SECRET_KEY,
        "bulwark.backup.storage.connect-timeout", "1s",
        "bulwark.backup.storage.attempt-timeout", "5s");
  }
}
