package dev.heartbeat.tck;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for an outcome that another thread produces (a listener call, a ticker round), polling
 * with a generous real-time bound. It never waits for time to pass: tests move time with
 * {@link ManualTime}.
 */
public final class Await {
  /** The default bound: long enough for a loaded 2-core machine. */
  public static final Duration DEFAULT = Duration.ofSeconds(20);

  private Await() {}

  /**
   * Waits until {@code condition} holds, at most {@link #DEFAULT}.
   *
   * @param condition the condition to wait for
   * @param what what is awaited, for the failure message
   */
  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, DEFAULT);
  }

  /**
   * Waits until {@code condition} holds.
   *
   * @param bound how long to wait at most (real time)
   * @param condition the condition to wait for
   * @param what what is awaited, for the failure message
   * @throws AssertionError naming {@code what} when it did not hold within {@code bound}
   */
  public static void until(String what, BooleanSupplier condition, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + bound + " waiting for: " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
