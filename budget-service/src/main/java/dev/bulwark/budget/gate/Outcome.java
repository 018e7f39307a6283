package dev.bulwark.budget.gate;

/** The answer to one gate operation: a value, or the problem to report. */
record Outcome(Object value, boolean replayed, RuntimeException problem) {

  static Outcome of(Object value, boolean replayed) {
    return new Outcome(value, replayed, null);
  }

  static Outcome failed(RuntimeException problem) {
    return new Outcome(null, false, problem);
  }
}
