package dev.bulwark.common.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * USD amounts: {@link BigDecimal} at scale 6, matching {@code NUMERIC(20,6)} in PostgreSQL. Never
 * {@code double}: a sum of a million LLM calls must be exact to the micro-dollar.
 */
public final class Money {

  public static final int SCALE = 6;
  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

  /** The largest amount {@code NUMERIC(20,6)} holds. */
  public static final BigDecimal MAX = new BigDecimal("99999999999999.999999");

  private Money() {}

  /**
   * The amount at scale 6; fails if it has finer precision than a micro-dollar or does not fit the
   * column, so that no input is silently rounded.
   */
  public static BigDecimal exact(BigDecimal amount) {
    if (amount == null) {
      throw new IllegalArgumentException("amount is required");
    }
    BigDecimal scaled;
    try {
      scaled = amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "amount " + amount.toPlainString() + " has more than " + SCALE + " decimal places");
    }
    if (scaled.abs().compareTo(MAX) > 0) {
      throw new IllegalArgumentException("amount " + amount.toPlainString() + " is too large");
    }
    return scaled;
  }

  /** The amount rounded half-even to scale 6, for computed values such as ratios of money. */
  public static BigDecimal rounded(BigDecimal amount) {
    return amount.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  public static BigDecimal of(String amount) {
    return exact(new BigDecimal(amount));
  }

  public static boolean isPositive(BigDecimal amount) {
    return amount != null && amount.signum() > 0;
  }

  /** A value for a Prometheus gauge; only for export, never for arithmetic. */
  public static double toDouble(BigDecimal amount) {
    return amount == null ? Double.NaN : amount.doubleValue();
  }
}
