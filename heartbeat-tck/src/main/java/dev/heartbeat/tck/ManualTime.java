package dev.heartbeat.tck;

import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock that moves only when a test says so. Threads parked on it through
 * {@link #parkUntil(long)} are woken by {@link #advance(Duration)} when their deadline passes.
 * Monotonic nanos and the wall clock move together with {@link #advance}; {@link #jumpWall} moves
 * the wall clock alone (a suspended machine, whose monotonic clock stood still, or a clock set
 * back). {@link #elapsed()} tells how far the test moved the wall clock, which server stores add
 * to their own clock in tests.
 */
public final class ManualTime implements TimeSource {
  private final Instant origin;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final long start = nanos.get();
  private final Map<Thread, Long> parked = new ConcurrentHashMap<>();
  private final AtomicLong wallOffset = new AtomicLong();

  /** Starts at the real current instant. */
  public ManualTime() {
    this(Instant.now());
  }

  /**
   * Starts at {@code origin}.
   *
   * @param origin the wall-clock instant to start at
   */
  public ManualTime(Instant origin) {
    this.origin = origin;
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(nanos.get() - start + wallOffset.get());
  }

  /**
   * How far the wall clock was moved since this clock was made.
   *
   * @return how far the wall clock was moved since this clock was made
   */
  public Duration elapsed() {
    return Duration.ofNanos(nanos.get() - start + wallOffset.get());
  }

  /**
   * Moves the wall clock alone, forward (the machine was suspended: its monotonic clock stood
   * still while the world went on) or back (the clock was set back). Wakes no one: a suspended
   * machine's timers do not fire early either.
   *
   * @param by how far, negative to set the clock back
   */
  public void jumpWall(Duration by) {
    wallOffset.addAndGet(by.toNanos());
  }

  /**
   * Moves time forward and wakes every thread whose deadline has come.
   *
   * @param by how far to move the clocks, not negative
   */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("by must not be negative, got " + by);
    }
    long now = nanos.addAndGet(by.toNanos());
    parked.forEach((thread, deadline) -> {
      if (now - deadline >= 0) {
        LockSupport.unpark(thread);
      }
    });
  }

  @Override
  public void parkUntil(long deadlineNanos) {
    Thread me = Thread.currentThread();
    parked.put(me, deadlineNanos);
    try {
      if (nanos.get() - deadlineNanos < 0) {
        LockSupport.park(this);
      }
    } finally {
      parked.remove(me);
    }
  }

  /**
   * How many threads wait on this clock now (the ticker and callers of bounded calls).
   *
   * @return how many threads wait on this clock now (the ticker and callers of bounded calls)
   */
  public int parkedThreads() {
    return parked.size();
  }

  /**
   * Whether {@code thread} waits on this clock now for a deadline still ahead, so that only an
   * {@link #advance} past its deadline wakes it. A thread whose deadline has passed is not
   * waiting any more, even before it has run and left the clock: a test that moves time only
   * while the threads it watches wait never outruns one that was just woken.
   *
   * @param thread the thread
   * @return true while it is parked here with its deadline ahead
   */
  public boolean isParked(Thread thread) {
    Long deadline = parked.get(thread);
    return deadline != null && nanos.get() - deadline < 0;
  }
}
