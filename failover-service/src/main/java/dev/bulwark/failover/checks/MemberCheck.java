package dev.bulwark.failover.checks;

/**
 * Checks one member. Calls come from one thread at a time; {@link #abort()} may come from another
 * thread, to end a check that outlasts its timeout.
 */
public interface MemberCheck extends AutoCloseable {

  CheckResult check();

  /** Drops whatever connection a hung check holds, so that it returns and the next reconnects. */
  default void abort() {}

  @Override
  default void close() {
    abort();
  }
}
