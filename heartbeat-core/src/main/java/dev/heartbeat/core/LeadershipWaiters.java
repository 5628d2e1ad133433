package dev.heartbeat.core;

import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The threads in {@code awaitLeadership} of one campaign, parked on the engine's clock. */
final class LeadershipWaiters {
  private final Set<Thread> waiting = ConcurrentHashMap.newKeySet(); // one entry per thread

  /**
   * Waits until {@code leads} holds (true), {@code ended} holds or the timeout passes (false).
   *
   * @throws InterruptedException when the calling thread is interrupted, naming {@code name}
   */
  boolean await(String name, TimeSource time, Duration timeout, BooleanSupplier leads,
      BooleanSupplier ended) throws InterruptedException {
    long deadline = time.nanoTime() + timeout.toNanos();
    Thread me = Thread.currentThread();
    waiting.add(me);
    try {
      while (true) {
        if (leads.getAsBoolean()) {
          return true;
        }
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while awaiting leadership of " + name);
        }
        if (ended.getAsBoolean() || time.nanoTime() - deadline >= 0) {
          return false;
        }
        time.parkUntil(deadline);
      }
    } finally {
      waiting.remove(me);
    }
  }

  /** Wakes every waiting thread to look again: the campaign was elected or ended. */
  void wakeAll() {
    waiting.forEach(LockSupport::unpark);
  }
}
