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
import dev.bulwark.testing.LogLines;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.S3Server;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
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

  @Test
  void whileS3IsDownPagesSentTogetherAllFailAsStorageUnavailableAndNothingElseIsLogged() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String host = "https://s3-group-" + run + ".example/";
    try (S3Server server = S3Server.start()) {
      try (S3Client admin = S3Clients.of(server)) {
        admin.createBucket(b -> b.bucket("archive"));
      }
      try (ObjectStorage s3 = ObjectStorages.open(StorageConfigs.of(settings(server)));
          LogLines logs = LogLines.atLeast(Level.WARNING)) {
        Pages pages = pages(s3);
        byte[] stored = SampleHtml.page("stored " + run, 1, "light");
        pages.store(upload(host + "stored", stored)).await().indefinitely();
        server.kill();

        // Pages already stored (only indexed), repeated and new ones, all at the same time.
        List<Uni<StoredPage>> sent = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
          byte[] html = i % 4 == 0 ? stored : SampleHtml.page("down " + run, 2 + i % 6, "light");
          sent.add(
              pages
                  .store(upload(host + i, html))
                  .runSubscriptionOn(Infrastructure.getDefaultExecutor()));
        }
        List<Throwable> failures = new ArrayList<>();
        for (Uni<StoredPage> page : sent) {
          failures.add(
              page.onItemOrFailure().transform((item, failure) -> failure).await().indefinitely());
        }

        // A page whose content is stored needs no storage: it is indexed when its group holds no
        // new content; every other page fails as storage-unavailable.
        int indexed = 0;
        for (int i = 0; i < failures.size(); i++) {
          if (failures.get(i) == null) {
            assertThat(i % 4).as("page %d was stored while S3 was down", i).isZero();
            indexed++;
          } else {
            assertThat(failures.get(i)).isInstanceOf(StorageUnavailable.class);
          }
        }
        assertThat(indexed).isLessThan(failures.size() / 4 + 1);
        assertThat(
                postgres
                    .primary()
                    .queryValue("SELECT count(*) FROM backup.pages WHERE url LIKE '" + host + "%'"))
            .isEqualTo(Integer.toString(1 + indexed));
        assertThat(logs.messages()).noneMatch(m -> m.contains("Mutiny") || m.contains("ERROR"));
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
