package dev.bulwark.budget.gate;

import java.math.BigDecimal;

/** Mutable period counters while a batch is decided; written back if {@link #dirty}. */
final class Counter {

  BigDecimal spent;
  BigDecimal held;
  BigDecimal overrun;
  long overruns;
  boolean dirty;

  Counter(BigDecimal spent, BigDecimal held, BigDecimal overrun, long overruns) {
    this.spent = spent;
    this.held = held;
    this.overrun = overrun;
    this.overruns = overruns;
  }

  BigDecimal committedAndHeld() {
    return spent.add(held);
  }
}
