package dev.bulwark.backup.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStorage} promises, run against each backend by a subclass. Each test
 * works under its own random key prefix, so the subclasses can share one store per class.
 */
abstract class ObjectStorageContractTests {

  static final int MIB = 1024 * 1024;

  /** The part size subclasses configure, S3's minimum: a 40 MiB object takes eight parts. */
  static final int PART_SIZE = 5 * MIB;

  /** The list page size subclasses configure, so that listing 25 keys takes three pages. */
  static final int PAGE_SIZE = 10;

  String run;

  abstract ObjectStorage storage();

  /** Asserts that nothing of an unfinished write remains (temporary files, pending uploads). */
  abstract void assertNoUnfinishedWrites();

  /** Leaves what a writer that died after starting to write {@code key} leaves. */
  abstract void startUnfinishedWrite(ObjectKey key) throws IOException;

  @Test
  void unfinishedWritesOfADeadWriterAreDroppedOnceOlderThanTheCutOff() throws IOException {
    storage().put(key("kept"), out -> out.write('k'));
    startUnfinishedWrite(key("dead/dump.age"));

    assertThat(storage().dropUnfinishedWrites(run, Instant.now().minus(Duration.ofHours(1))))
        .as("started after the cut-off: maybe a live writer")
        .isZero();
    assertThat(storage().dropUnfinishedWrites(run, Instant.now().plus(Duration.ofMinutes(1))))
        .isEqualTo(1);

    assertNoUnfinishedWrites();
    assertThat(storage().head(key("kept"))).isPresent();
    assertThat(storage().list(run)).extracting(o -> o.key().value()).containsExactly(run + "kept");
  }

  @BeforeEach
  void freshPrefix() {
    run = "run-" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  ObjectKey key(String name) {
    return ObjectKey.of(run + name);
  }

  @Test
  void roundTripsAStreamLargerThanManyParts() throws IOException {
    long length = 40L * MIB + 12345;
    RandomContent content = RandomContent.of(42, length);

    StoredObject stored = storage().put(key("dumps/big.bin"), content);

    assertThat(stored.size()).isEqualTo(length);
    assertThat(storage().head(key("dumps/big.bin")).orElseThrow().size()).isEqualTo(length);
    try (InputStream in = storage().get(key("dumps/big.bin"))) {
      assertThat(RandomContent.sha256Of(in)).isEqualTo(content.sha256());
    }
  }

  @Test
  void storesAnEmptyObject() throws IOException {
    storage().put(key("empty"), new ByteArrayInputStream(new byte[0]));

    assertThat(storage().head(key("empty")).orElseThrow().size()).isZero();
    try (InputStream in = storage().get(key("empty"))) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void replacesTheObjectUnderAKey() throws IOException {
    storage().put(key("wal/000001"), out -> out.write("first".getBytes(UTF_8)));

    storage().put(key("wal/000001"), out -> out.write("second!".getBytes(UTF_8)));

    assertThat(read(key("wal/000001"))).isEqualTo("second!");
    assertThat(storage().head(key("wal/000001")).orElseThrow().size()).isEqualTo(7);
  }

  @Test
  void headDescribesAStoredObject() throws IOException {
    storage().put(key("a/b.txt"), out -> out.write("payload".getBytes(UTF_8)));

    StoredObject head = storage().head(key("a/b.txt")).orElseThrow();

    assertThat(head.key()).isEqualTo(key("a/b.txt"));
    assertThat(head.size()).isEqualTo(7);
    assertThat(head.lastModified()).isNotNull();
  }

  @Test
  void headOfAMissingKeyIsEmpty() {
    assertThat(storage().head(key("missing/object"))).isEmpty();
  }

  @Test
  void getOfAMissingKeyIsObjectNotFound() {
    assertThatThrownBy(() -> storage().get(key("missing/object")))
        .isInstanceOf(ObjectNotFound.class)
        .hasMessageContaining(run + "missing/object");
  }

  @Test
  void readsAByteRange() throws IOException {
    storage().put(key("ranged"), out -> out.write("0123456789".getBytes(UTF_8)));

    assertThat(read(key("ranged"), new ByteRange(3, 4))).isEqualTo("3456");
    assertThat(read(key("ranged"), new ByteRange(8, 100))).isEqualTo("89");
    assertThat(read(key("ranged"), ByteRange.from(6))).isEqualTo("6789");
    assertThat(read(key("ranged"), ByteRange.from(10))).isEmpty();
    assertThatThrownBy(() -> storage().get(key("missing"), ByteRange.from(0)))
        .isInstanceOf(ObjectNotFound.class);
  }

  @Test
  void listsByPrefixInKeyOrderAcrossPages() throws IOException {
    List<ObjectKey> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ObjectKey k = key(String.format("archive/html/%03d.html", i));
      storage().put(k, out -> out.write(("page " + k).getBytes(UTF_8)));
      expected.add(k);
    }
    storage().put(key("archive/llm/1.json"), out -> out.write('x'));
    storage().put(key("archive-old/1.json"), out -> out.write('y'));

    List<StoredObject> listed = storage().list(run + "archive/html/").toList();

    assertThat(listed).extracting(StoredObject::key).containsExactlyElementsOf(expected);
    assertThat(listed)
        .allSatisfy(o -> assertThat(o.size()).isEqualTo(("page " + o.key()).length()));
    assertThat(storage().list(run + "archive/").map(StoredObject::key))
        .hasSize(26)
        .endsWith(key("archive/llm/1.json"));
    assertThat(storage().list(run + "archive").map(StoredObject::key)).hasSize(27);
  }

  @Test
  void listsWholeKeysInOrderWhereSegmentsShareAStart() throws IOException {
    // '-' sorts before '/', so a-b comes before everything under a/, as S3 lists it.
    for (String name : List.of("a/b", "a-b", "a/a", "a0")) {
      storage().put(key("order/" + name), out -> out.write('z'));
    }

    assertThat(storage().list(run + "order/").map(o -> o.key().value()))
        .containsExactly(run + "order/a-b", run + "order/a/a", run + "order/a/b", run + "order/a0");
  }

  @Test
  void listingANonexistentPrefixIsEmpty() {
    assertThat(storage().list(run + "nothing/here/")).isEmpty();
  }

  @Test
  void rejectsAListingPrefixThatCannotStartAKey() {
    assertThatThrownBy(() -> storage().list("../"))
        .isInstanceOf(InvalidObjectKey.class)
        .hasMessageContaining("'..'");
  }

  @Test
  void deletesAnObject() throws IOException {
    storage().put(key("to-delete"), out -> out.write("gone soon".getBytes(UTF_8)));

    storage().delete(key("to-delete"));

    assertThat(storage().head(key("to-delete"))).isEmpty();
    assertThatThrownBy(() -> storage().get(key("to-delete"))).isInstanceOf(ObjectNotFound.class);
    assertThat(storage().list(run)).isEmpty();
  }

  @Test
  void deletingAMissingObjectIsNoError() {
    storage().delete(key("never-written"));

    assertThat(storage().head(key("never-written"))).isEmpty();
  }

  @Test
  void aBodyFailingMidwayLeavesNothingUnderTheKey() {
    RandomContent failing = RandomContent.failingAfter(7, 40L * MIB, 12L * MIB);

    assertThatThrownBy(() -> storage().put(key("dumps/broken.bin"), failing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the source failed after");

    assertThat(storage().head(key("dumps/broken.bin"))).isEmpty();
    assertThat(storage().list(run)).isEmpty();
    assertNoUnfinishedWrites();
  }

  @Test
  void aFailedOverwriteKeepsTheObjectThatWasThere() throws IOException {
    storage().put(key("dumps/daily.bin"), out -> out.write("yesterday".getBytes(UTF_8)));

    assertThatThrownBy(
            () ->
                storage()
                    .put(
                        key("dumps/daily.bin"), RandomContent.failingAfter(8, 20L * MIB, 7L * MIB)))
        .isInstanceOf(IOException.class);

    assertThat(read(key("dumps/daily.bin"))).isEqualTo("yesterday");
    assertNoUnfinishedWrites();
  }

  @Test
  void anObjectIsInvisibleUntilItsBodyReturns() throws IOException {
    ObjectKey key = key("dumps/in-flight.bin");
    List<Boolean> visibleWhileWriting = new ArrayList<>();

    storage()
        .put(
            key,
            out -> {
              out.write(new byte[PART_SIZE + 1]); // past one part: an S3 upload has begun
              out.flush();
              out.close(); // closing the stream does not publish either
              visibleWhileWriting.add(storage().head(key).isPresent());
              visibleWhileWriting.add(storage().list(run).findAny().isPresent());
              out.write(new byte[10]);
            });

    assertThat(visibleWhileWriting).containsExactly(false, false);
    assertThat(storage().head(key).orElseThrow().size()).isEqualTo(PART_SIZE + 11);
  }

  String read(ObjectKey key, ByteRange range) throws IOException {
    try (InputStream in = storage().get(key, range)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  String read(ObjectKey key) throws IOException {
    try (InputStream in = storage().get(key)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }
}
