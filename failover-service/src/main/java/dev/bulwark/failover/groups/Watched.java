package dev.bulwark.failover.groups;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The latest value of something one thread changes and others wait on: {@link #await} wakes on
 * every change instead of polling, so a drill sees a check result the moment the monitor has it.
 */
public final class Watched<T> {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile T value;

  public Watched(T initial) {
    this.value = initial;
  }

  public T get() {
    return value;
  }

  public void set(T next) {
    update(current -> next);
  }

  /** Replaces the value by {@code change} of it, atomically, and wakes every waiter. */
  public void update(UnaryOperator<T> change) {
    lock.lock();
    try {
      value = change.apply(value);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code condition} holds on the value (tested now and after every change) and
   * returns that value; fails naming {@code what} after {@code bound}.
   */
  public T await(String what, Duration bound, Predicate<T> condition) throws InterruptedException {
    long left = bound.toNanos();
    lock.lock();
    try {
      while (!condition.test(value)) {
        if (left <= 0) {
          throw new IllegalStateException("gave up waiting for " + what + " after " + bound);
        }
        left = changed.awaitNanos(left);
      }
      return value;
    } finally {
      lock.unlock();
    }
  }
}
