package dev.bulwark.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeysetPageTests {

  @Test
  void aStoreReadsOneRowMoreThanThePageHolds() {
    assertThat(KeysetPage.rowsToRead(50)).isEqualTo(51);
    assertThatThrownBy(() -> KeysetPage.rowsToRead(Integer.MAX_VALUE))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void theExtraRowIsCutAndTheCursorPointsAfterTheLastItemKept() {
    KeysetPage<Integer, String> page = KeysetPage.of(List.of(1, 2, 3, 4), 3, i -> "after-" + i);

    assertThat(page.items()).containsExactly(1, 2, 3);
    assertThat(page.next()).contains("after-3");
  }

  @Test
  void theLastPageHasNoCursorWhetherFullOrNot() {
    assertThat(KeysetPage.of(List.of(1, 2, 3), 3, i -> "after-" + i).next()).isEmpty();
    assertThat(KeysetPage.of(List.of(1), 3, i -> "after-" + i).next()).isEmpty();
    assertThat(KeysetPage.of(List.<Integer>of(), 3, i -> "after-" + i).items()).isEmpty();
  }

  @Test
  void mappingKeepsTheCursorOfTheRowsItWasCutFrom() {
    KeysetPage<String, Integer> page =
        KeysetPage.of(List.of(10, 20, 30), 2, i -> i).map(i -> "row " + i);

    assertThat(page.items()).containsExactly("row 10", "row 20");
    assertThat(page.next()).contains(20);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> KeysetPage.of(List.of(1), 0, i -> i))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
