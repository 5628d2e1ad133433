package dev.heartbeat.tck;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the first commit made by a call run through {@link #holding}, until {@link #open()};
 * every other commit passes. The kit's contracts use it to let a write be stamped and not yet
 * committed while other calls go on ({@link ExpiryEdgeContract}, {@link ChangesRaceContract}).
 */
final class HeldCommit implements CommitHold {
  private final long timeoutSeconds;
  private final AtomicReference<Thread> armed = new AtomicReference<>();
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch open = new CountDownLatch(1);

  /** @param timeoutSeconds how long a held commit, or a wait for one, may take at most */
  HeldCommit(long timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  /** {@code call}, whose first commit is held, for another thread to run. */
  <T> Callable<T> holding(Callable<T> call) {
    return () -> {
      armed.set(Thread.currentThread());
      try {
        return call.call();
      } finally {
        armed.compareAndSet(Thread.currentThread(), null);
      }
    };
  }

  @Override
  public void beforeCommit() {
    if (!armed.compareAndSet(Thread.currentThread(), null)) {
      return;
    }
    reached.countDown();
    try {
      if (!open.await(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the held commit was never let through");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the held call reached its commit, or answered (a store with nothing held). */
  void awaitReachedOr(Future<?> call) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!reached.await(10, TimeUnit.MILLISECONDS) && !call.isDone()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the held call neither committed nor answered");
      }
    }
  }

  /** Lets the held commit through. */
  void open() {
    open.countDown();
  }
}
