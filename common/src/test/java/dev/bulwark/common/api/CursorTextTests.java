package dev.bulwark.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTextTests {

  @Test
  void fieldsComeBackAsWrittenAndTheLastMayHoldAnything() {
    String text = CursorText.encode("x1", "a", "42", "name with\nnewline and ünïcode/+=");

    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(CursorText.decode(text, "x1", 3))
        .contains(List.of("a", "42", "name with\nnewline and ünïcode/+="));
  }

  @Test
  void whatWeDidNotIssueIsEmpty() {
    String text = CursorText.encode("x1", "a", "b");

    assertThat(CursorText.decode(text, "x2", 2)).as("another version").isEmpty();
    assertThat(CursorText.decode(text, "x1", 3)).as("another field count").isEmpty();
    assertThat(CursorText.decode("not base64!", "x1", 2)).as("not base64url").isEmpty();
    assertThat(CursorText.decode("", "x1", 2)).as("empty").isEmpty();
  }
}
