package dev.bulwark.backup.mirror;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.exported.MirrorMetrics;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.ObjectStorages;
import dev.bulwark.backup.storage.S3Clients;
import dev.bulwark.backup.storage.StorageSettings;
import dev.bulwark.backup.storage.StorageUrl;
import dev.bulwark.backup.store.MirrorStore;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.S3Server;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror engine between two buckets of a real S3 API (S3Proxy) and between directories, with
 * its state in the application's PostgreSQL.
 */
@QuarkusTest
class BucketMirrorTests {

  static S3Server s3;

  @Inject Pool pool;
  @InjectPostgres PostgresCluster postgres;
  @TempDir Path dir;

  private final MutableClock clock = MutableClock.todayAtNoon();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ObjectStorage> opened = new ArrayList<>();
  private String name;
  private ObjectStorage source;
  private ObjectStorage destination;

  @BeforeAll
  static void startS3() {
    s3 = S3Server.start();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void twoBuckets() {
    name = "m" + UUID.randomUUID().toString().substring(0, 8);
    source = s3Storage(s3, name + "-source", "data/");
    destination = s3Storage(s3, name + "-copy", "");
  }

  @AfterEach
  void closeStorages() {
    opened.forEach(ObjectStorage::close);
  }

  @Test
  void copiesEverythingThenOnlyTheDifferenceThenNothing() throws IOException {
    Map<String, byte[]> objects = new TreeMap<>();
    for (int i = 0; i < 5; i++) {
      objects.put("leads/part-" + i + ".json", content(i, 1000 + i * 777));
    }
    objects.put("html/big.bin", content(99, 6 * 1024 * 1024 + 5)); // two parts of 5 MiB
    objects.forEach(this::put);
    BucketMirror mirror = engine(false);

    MirrorReport first = mirror.run(name, MirrorProgress.NONE);

    assertThat(first.objectsScanned()).isEqualTo(objects.size());
    assertThat(first.objectsCopied()).isEqualTo(objects.size());
    assertThat(first.bytesCopied()).isEqualTo(totalBytes(objects));
    assertThat(first.objectsPending()).isZero();
    assertThat(first.objectsFailed()).isZero();
    assertThat(first.errors()).isEmpty();
    assertThat(first.startedAt()).isEqualTo(clock.instant());
    assertDestinationHoldsExactly(objects);

    // given one object changed (same size, other bytes) and one added
    byte[] changed = content(1234, objects.get("leads/part-2.json").length);
    objects.put("leads/part-2.json", changed);
    put("leads/part-2.json", changed);
    byte[] added = content(77, 4321);
    objects.put("leads/new.json", added);
    put("leads/new.json", added);

    MirrorReport second = mirror.run(name, MirrorProgress.NONE);

    assertThat(second.objectsScanned()).isEqualTo(objects.size());
    assertThat(second.objectsCopied()).isEqualTo(2);
    assertThat(second.bytesCopied()).isEqualTo(changed.length + added.length);
    assertDestinationHoldsExactly(objects);

    MirrorReport third = mirror.run(name, MirrorProgress.NONE);

    assertThat(third.objectsCopied()).isZero();
    assertThat(third.bytesCopied()).isZero();
    assertThat(third.objectsScanned()).isEqualTo(objects.size());
    assertThat(registry.get("bulwark.mirror.copied.objects").tag("mirror", name).counter().count())
        .isEqualTo(objects.size() - 1 + 2);
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM backup.mirror_object WHERE mirror = '" + name + "'"))
        .isEqualTo(String.valueOf(objects.size()));
  }

  @Test
  void aDestinationOnlyObjectSurvivesUnlessDeleteExtraneousIsSet() {
    put("kept.txt", content(1, 10));
    ObjectKey extra = ObjectKey.of("only-at-destination.txt");
    putAt(destination, extra.value(), content(2, 20));

    MirrorReport keeping = engine(false).run(name, MirrorProgress.NONE);

    assertThat(keeping.objectsDeleted()).isZero();
    assertThat(destination.head(extra)).isPresent();

    MirrorReport deleting = engine(true).run(name, MirrorProgress.NONE);

    assertThat(deleting.objectsDeleted()).isEqualTo(1);
    assertThat(deleting.objectsCopied()).isZero();
    assertThat(destination.head(extra)).isEmpty();
    assertThat(destination.head(ObjectKey.of("kept.txt"))).isPresent();
  }

  @Test
  void aRunInterruptedMidwayIsResumedByTheNextRunCopyingOnlyTheRest() {
    Map<String, byte[]> objects = new TreeMap<>();
    for (int i = 0; i < 8; i++) {
      objects.put("obj-" + i, content(i, 2000 + i));
    }
    objects.forEach(this::put);
    BucketMirror mirror = engine(false);
    AtomicLong pendingSeen = new AtomicLong(-1);
    // The worker thread is interrupted (as the job's timeout or a shutdown does) after 3 copies.
    MirrorProgress interruptAfterThree =
        (copied, bytes, pending) -> {
          pendingSeen.set(pending);
          if (copied == 3) {
            Thread.currentThread().interrupt();
          }
        };

    assertThatThrownBy(() -> mirror.run(name, interruptAfterThree))
        .isInstanceOfSatisfying(
            MirrorStopped.class,
            stopped -> {
              assertThat(stopped.status()).isEqualTo(503);
              assertThat(stopped.report().objectsCopied()).isEqualTo(3);
              assertThat(stopped.report().objectsPending()).isEqualTo(5);
            });
    assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
    assertThat(pendingSeen).hasValue(5);
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT pending_objects FROM backup.mirror_run WHERE mirror = '" + name + "'"))
        .isEqualTo("5");

    MirrorReport resumed = mirror.run(name, MirrorProgress.NONE);

    assertThat(resumed.objectsCopied()).isEqualTo(5);
    assertThat(resumed.bytesCopied())
        .isEqualTo(objects.entrySet().stream().skip(3).mapToLong(e -> e.getValue().length).sum());
    assertThat(resumed.objectsPending()).isZero();
    assertDestinationHoldsExactly(objects);
  }

  @Test
  void aDestinationThatGoesAwayStopsTheRunWithWhatIsStillPending() {
    try (S3Server doomed = S3Server.start()) {
      ObjectStorage far = s3Storage(doomed, name + "-far", "");
      for (int i = 0; i < 6; i++) {
        put("obj-" + i, content(i, 100));
      }
      BucketMirror mirror =
          engine(Map.of(name, new Mirror(name, source, far, false, Duration.ofHours(1))));
      MirrorProgress stopDestinationAfterTwo =
          (copied, bytes, pending) -> {
            if (copied == 2) {
              doomed.close();
            }
          };

      assertThatThrownBy(() -> mirror.run(name, stopDestinationAfterTwo))
          .isInstanceOfSatisfying(
              MirrorStopped.class,
              stopped -> {
                assertThat(stopped.report().objectsCopied()).isEqualTo(2);
                assertThat(stopped.report().objectsPending()).isEqualTo(4);
              })
          .hasMessageContaining(name + "-far")
          .hasMessageNotContaining(S3Server.SECRET_KEY);
    }
  }

  @Test
  void directoriesAreComparedByLastModifiedTimeWhereThereIsNoEtag() throws IOException {
    FileStorage from = FileStorage.at(dir.resolve("from"));
    FileStorage to = FileStorage.at(dir.resolve("to"));
    putAt(from, "a/one.txt", "one".getBytes(UTF_8));
    putAt(from, "a/two.txt", "two".getBytes(UTF_8));
    BucketMirror mirror =
        engine(Map.of(name, new Mirror(name, from, to, false, Duration.ofHours(1))));

    assertThat(mirror.run(name, MirrorProgress.NONE).objectsCopied()).isEqualTo(2);
    assertThat(mirror.run(name, MirrorProgress.NONE).objectsCopied()).isZero();

    // Same size, new content and a later modification time.
    java.nio.file.Files.writeString(dir.resolve("from/a/two.txt"), "TWO");
    java.nio.file.Files.setLastModifiedTime(
        dir.resolve("from/a/two.txt"),
        java.nio.file.attribute.FileTime.from(clock.instant().plusSeconds(60)));
    MirrorReport changed = mirror.run(name, MirrorProgress.NONE);

    assertThat(changed.objectsCopied()).isEqualTo(1);
    try (InputStream in = to.get(ObjectKey.of("a/two.txt"))) {
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("TWO");
    }
  }

  @Test
  void anUnknownMirrorIsNotFoundNamingTheConfiguredOnes() {
    assertThatThrownBy(() -> engine(false).run("nope", MirrorProgress.NONE))
        .isInstanceOfSatisfying(
            MirrorNotFound.class,
            problem -> {
              assertThat(problem.status()).isEqualTo(404);
              assertThat(problem.slug()).isEqualTo("mirror-not-found");
            })
        .hasMessageContaining("'nope'")
        .hasMessageContaining("[" + name + "]");
  }

  private BucketMirror engine(boolean deleteExtraneous) {
    return engine(
        Map.of(name, new Mirror(name, source, destination, deleteExtraneous, Duration.ofHours(1))));
  }

  private BucketMirror engine(Map<String, Mirror> mirrors) {
    return new BucketMirror(
        new Mirrors(mirrors), new MirrorStore(pool), new MirrorMetrics(registry, clock), clock);
  }

  private ObjectStorage s3Storage(S3Server server, String bucket, String prefix) {
    try (var admin = S3Clients.of(server)) {
      admin.createBucket(b -> b.bucket(bucket));
    }
    ObjectStorage storage =
        ObjectStorages.open(
            new StorageSettings(
                "bulwark.backup.mirrors." + name + ".source",
                StorageUrl.parse("s3://" + bucket + "/" + prefix),
                Optional.of(server.endpoint()),
                server.region(),
                true,
                5L * 1024 * 1024,
                2, // small pages: listings span several requests
                Optional.of(server.accessKey()),
                Optional.of(server.secretKey()),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5)));
    opened.add(storage);
    return storage;
  }

  private void put(String key, byte[] bytes) {
    putAt(source, key, bytes);
  }

  private static void putAt(ObjectStorage storage, String key, byte[] bytes) {
    try {
      storage.put(ObjectKey.of(key), out -> out.write(bytes));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void assertDestinationHoldsExactly(Map<String, byte[]> objects) {
    assertThat(destination.list("").map(o -> o.key().value()).toList())
        .containsExactlyInAnyOrderElementsOf(objects.keySet());
    objects.forEach(
        (key, bytes) -> {
          try (InputStream in = destination.get(ObjectKey.of(key))) {
            assertThat(in.readAllBytes()).as(key).isEqualTo(bytes);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private static long totalBytes(Map<String, byte[]> objects) {
    return objects.values().stream().mapToLong(b -> b.length).sum();
  }

  private static byte[] content(long seed, int length) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
