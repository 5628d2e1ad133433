package dev.heartbeat.examples.faults;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for an outcome of other processes, polling every {@link #PAUSE} up to a generous bound
 * of real time. It asserts that something happens, never how fast: the bounds are for a loaded
 * 2-core machine.
 */
final class Poll {
  /** The bound of most waits. */
  static final Duration BOUND = Duration.ofSeconds(60);
  private static final Duration PAUSE = Duration.ofMillis(50);

  private Poll() {}

  /**
   * Waits until {@code condition} holds, at most {@code bound}.
   *
   * @param detail what to show when it does not, such as the logs so far
   * @throws AssertionError naming {@code what} when it did not hold within {@code bound}
   */
  static void until(String what, Duration bound, BooleanSupplier condition,
      Supplier<String> detail) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + bound + " waiting for: " + what + "\n"
            + detail.get());
      }
      try {
        Thread.sleep(PAUSE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
