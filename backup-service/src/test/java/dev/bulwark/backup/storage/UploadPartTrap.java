package dev.bulwark.backup.storage;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Runs an action just before the n-th part upload of any S3 client in the test JVM (registered
 * through the SDK's {@code execution.interceptors} file): a test kills storage mid-upload at a
 * known point. Inert unless armed.
 */
public final class UploadPartTrap implements ExecutionInterceptor {

  private static final AtomicInteger REMAINING = new AtomicInteger(-1);
  private static final AtomicReference<Runnable> ACTION = new AtomicReference<>();

  /** Runs {@code action} once, before the {@code part}-th part upload from now. */
  public static void armBefore(int part, Runnable action) {
    ACTION.set(action);
    REMAINING.set(part);
  }

  public static void disarm() {
    REMAINING.set(-1);
    ACTION.set(null);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (context.request() instanceof UploadPartRequest && REMAINING.get() > 0) {
      if (REMAINING.decrementAndGet() == 0) {
        Runnable action = ACTION.getAndSet(null);
        if (action != null) {
          action.run();
        }
      }
    }
  }
}
