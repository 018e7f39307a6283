package dev.bulwark.backup.pitr.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cutter against archives GNU tar writes and reads. */
class TarPieceCutterTests {

  @TempDir Path dir;

  private final List<ByteArrayOutputStream> pieces = new ArrayList<>();

  private TarPieceCutter cutter(long pieceBytes) {
    return new TarPieceCutter(
        index -> {
          assertThat(index).isEqualTo(pieces.size());
          ByteArrayOutputStream piece = new ByteArrayOutputStream();
          pieces.add(piece);
          return piece;
        },
        pieceBytes);
  }

  @Test
  void cutsAtMemberBoundariesIntoArchivesThatExtractToTheSameFiles() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Random random = new Random(14);
    for (int i = 0; i < 30; i++) {
      Path sub = Files.createDirectories(source.resolve("base/" + (i % 4)));
      byte[] content = new byte[random.nextInt(200 * 1024)];
      random.nextBytes(content);
      Files.write(sub.resolve("file-" + i), content);
    }
    // Over 100 characters: GNU tar writes a long-name header before the member.
    Files.writeString(source.resolve("x".repeat(150)), "long name", StandardCharsets.UTF_8);
    byte[] archive = run(List.of("tar", "-c", "--format=gnu", "-f", "-", "-C", source + "", "."));

    TarPieceCutter cutter = cutter(64 * 1024);
    // Odd write sizes: headers and data arrive split across writes.
    for (int off = 0; off < archive.length; off += 7919) {
      cutter.write(archive, off, Math.min(7919, archive.length - off));
    }
    cutter.close();

    assertThat(pieces).hasSizeGreaterThan(5);
    assertThat(cutter.pieceCount()).isEqualTo(pieces.size());
    Path restored = Files.createDirectories(dir.resolve("restored"));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < pieces.size(); i++) {
      byte[] piece = pieces.get(i).toByteArray();
      Path file = dir.resolve("piece-" + i + ".tar");
      Files.write(file, piece);
      // Each piece is an archive of its own: tar lists and extracts it without complaint.
      run(List.of("tar", "-x", "-f", file.toString(), "-C", restored.toString()));
      boolean last = i == pieces.size() - 1;
      if (!last) {
        assertThat(Arrays.copyOfRange(piece, piece.length - 1024, piece.length))
            .containsOnly((byte) 0);
      }
      joined.write(piece, 0, last ? piece.length : piece.length - 1024);
    }
    // Nothing added or lost on the way: the pieces less their ends are the archive.
    assertThat(joined.toByteArray()).isEqualTo(archive);
    assertThat(restored.resolve("x".repeat(150))).hasContent("long name");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(restored.resolve(source.relativize(file))).hasSameBinaryContentAs(file);
      }
    }
  }

  @Test
  void aStreamCutShortInsideAMemberIsAnError() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Files.write(source.resolve("big"), new byte[100_000]);
    byte[] archive = run(List.of("tar", "-c", "-f", "-", "-C", source + "", "."));
    TarPieceCutter cutter = cutter(1024 * 1024);

    cutter.write(archive, 0, 50_000);

    assertThatThrownBy(cutter::close)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ended before the end of its archive");
  }

  private static byte[] run(List<String> command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out;
    try (var in = process.getInputStream()) {
      out = in.readAllBytes();
    }
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    return out;
  }
}
