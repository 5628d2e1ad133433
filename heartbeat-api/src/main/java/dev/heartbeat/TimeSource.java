package dev.heartbeat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's view of time: a monotonic clock for local deadlines, a wall clock for instants
 * it reports, and a way to wait for the monotonic clock. Tests pass a manual implementation and
 * move time themselves; production uses {@link #system()}.
 *
 * <p>Implementations are thread-safe.
 */
public interface TimeSource extends InstantSource {

  /**
   * Monotonic nanoseconds, comparable only with other values of the same source.
   *
   * @return the current monotonic time in nanoseconds
   */
  long nanoTime();

  /**
   * Parks the calling thread until {@link #nanoTime()} reaches {@code deadlineNanos}, until the
   * thread is unparked ({@link LockSupport#unpark}) or interrupted, or spuriously. Callers
   * re-check their condition and call again.
   *
   * @param deadlineNanos the {@link #nanoTime()} to park until
   */
  void parkUntil(long deadlineNanos);

  /**
   * The system clocks: {@link System#nanoTime()} and {@link InstantSource#system()}.
   *
   * @return the system clocks: {@link System#nanoTime()} and {@link InstantSource#system()}
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}

/** The real clocks. */
final class SystemTimeSource implements TimeSource {
  static final SystemTimeSource INSTANCE = new SystemTimeSource();

  private SystemTimeSource() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public void parkUntil(long deadlineNanos) {
    long wait = deadlineNanos - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(this, wait);
    }
  }

  @Override
  public String toString() {
    return "TimeSource.system()";
  }
}
