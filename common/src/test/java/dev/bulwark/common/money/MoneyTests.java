package dev.bulwark.common.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTests {

  @Test
  void exactKeepsSixDecimalPlaces() {
    assertThat(Money.of("1.5")).isEqualByComparingTo("1.5").hasScaleOf(6);
    assertThat(Money.of("0.000001").toPlainString()).isEqualTo("0.000001");
  }

  @Test
  void exactRefusesFinerThanAMicroDollar() {
    assertThatThrownBy(() -> Money.of("0.0000001"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 6 decimal places");
  }

  @Test
  void exactRefusesWhatTheColumnCannotHold() {
    assertThatThrownBy(() -> Money.of("100000000000000")).hasMessageContaining("too large");
  }

  @Test
  void roundedIsHalfEven() {
    assertThat(Money.rounded(new BigDecimal("0.0000005"))).isEqualByComparingTo("0.000000");
    assertThat(Money.rounded(new BigDecimal("0.0000015"))).isEqualByComparingTo("0.000002");
  }

  @Test
  void positivity() {
    assertThat(Money.isPositive(Money.of("0.000001"))).isTrue();
    assertThat(Money.isPositive(Money.ZERO)).isFalse();
    assertThat(Money.isPositive(null)).isFalse();
  }
}
