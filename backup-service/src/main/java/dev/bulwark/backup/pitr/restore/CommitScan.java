package dev.bulwark.backup.pitr.restore;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a WAL segment holds a commit (or abort) after a time, read with {@code pg_waldump}: a
 * recovery to a time stops at the first such record and fails when it never meets one, so a restore
 * fetches segments until one holds it.
 */
final class CommitScan {

  private static final Pattern COMMIT =
      Pattern.compile(
          "desc: (?:COMMIT|ABORT) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) UTC");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  private CommitScan() {}

  /** Whether {@code segment} holds a transaction end later than {@code time}. */
  static boolean hasCommitAfter(Path pgWaldump, Path segment, Instant time) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(pgWaldump.toString(), "--rmgr=Transaction", segment.toString()))
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // pg_waldump prints times in its process's zone.
    builder.environment().put("TZ", "UTC");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      process.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading WAL", e);
    } finally {
      process.destroy();
    }
    // Its exit status is 1 at the end of the segment's records: the lines before it stand.
    return after(output, time);
  }

  static boolean after(String pgWaldumpOutput, Instant time) {
    Matcher m = COMMIT.matcher(pgWaldumpOutput);
    while (m.find()) {
      if (LocalDateTime.parse(m.group(1), TIME).toInstant(ZoneOffset.UTC).isAfter(time)) {
        return true;
      }
    }
    return false;
  }
}
