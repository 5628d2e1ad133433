package dev.heartbeat.benchmarks;

import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak's clock: it moves only when the harness says so, and tells the harness when every
 * thread waiting on it waits for a later instant (the engines have done what was due).
 */
final class SoakClock implements TimeSource {
  private final Instant origin = Instant.parse("2030-01-01T00:00:00Z");
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final long start = nanos.get();
  private final Map<Thread, Long> parked = new ConcurrentHashMap<>();

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(nanos.get() - start);
  }

  /** Simulated time so far. */
  Duration elapsed() {
    return Duration.ofNanos(nanos.get() - start);
  }

  /** Moves time forward and wakes every thread whose deadline has come. */
  void advance(Duration by) {
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

  /** How many threads named {@code prefix...} wait on this clock for a later instant. */
  int waitingForLater(String prefix) {
    long now = nanos.get();
    int n = 0;
    for (Map.Entry<Thread, Long> e : parked.entrySet()) {
      if (e.getKey().getName().startsWith(prefix) && e.getValue() - now > 0) {
        n++;
      }
    }
    return n;
  }
}
