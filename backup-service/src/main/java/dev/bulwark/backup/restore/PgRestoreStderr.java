package dev.bulwark.backup.restore;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** The end of pg_restore's stderr as errors show it, without the backed-up rows it may quote. */
final class PgRestoreStderr {

  // A failing COPY quotes its row in the server's CONTEXT line: data, which must stay out of
  // errors.
  private static final Pattern COPY_ROW =
      Pattern.compile("(COPY [^\\n]*?, line \\d+(?:, column [^:\\n]*)?): [^\\n]*");

  private PgRestoreStderr() {}

  /** The last {@code max} bytes of the file, rows redacted, "..." in front when cut. */
  static String tail(Path stderr, int max) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(stderr.toFile(), "r")) {
      long start = Math.max(0, file.length() - max);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      String text = redactRows(new String(bytes, StandardCharsets.UTF_8).strip());
      return start == 0 ? text : "..." + text;
    }
  }

  static String redactRows(String text) {
    return COPY_ROW.matcher(text).replaceAll("$1: <row not shown>");
  }
}
