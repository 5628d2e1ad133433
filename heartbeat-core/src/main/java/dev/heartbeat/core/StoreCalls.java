package dev.heartbeat.core;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs store operations on virtual threads of their own, so that a hanging store never holds up
 * the ticker, and bounds the caller's wait on the engine's {@link TimeSource}. A call abandoned at
 * its deadline keeps running in the background; its result is ignored.
 */
final class StoreCalls {
  private final String store;
  private final TimeSource time;

  StoreCalls(String store, TimeSource time) {
    this.store = store;
    this.time = time;
  }

  /** Starts {@code op} on a new virtual thread; failures are wrapped as store exceptions. */
  <T> CompletableFuture<T> async(String operation, Supplier<T> op) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread.ofVirtual().name("heartbeat-call-" + operation).start(() -> {
      try {
        future.complete(op.get());
      } catch (IllegalArgumentException e) {
        future.completeExceptionally(e);
      } catch (Throwable e) {
        future.completeExceptionally(wrap(operation, e));
      }
    });
    return future;
  }

  /**
   * Runs {@code op} and waits at most {@code timeout} on the engine's clock.
   *
   * @throws HeartbeatStoreException when it fails, times out or the caller is interrupted
   */
  <T> T bounded(String operation, Duration timeout, Supplier<T> op) {
    CompletableFuture<T> future = async(operation, op);
    Thread caller = Thread.currentThread();
    future.whenComplete((r, e) -> LockSupport.unpark(caller));
    long deadline = time.nanoTime() + timeout.toNanos();
    while (!future.isDone()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new HeartbeatStoreException(store, operation, "interrupted while waiting");
      }
      if (time.nanoTime() - deadline >= 0) {
        throw new HeartbeatStoreException(store, operation,
            new TimeoutException("no answer within " + timeout));
      }
      time.parkUntil(deadline);
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IllegalArgumentException misuse) {
        throw misuse;
      }
      throw wrap(operation, e.getCause());
    }
  }

  HeartbeatStoreException wrap(String operation, Throwable e) {
    if (e instanceof HeartbeatStoreException hse) {
      return hse;
    }
    if (e instanceof CompletionException && e.getCause() != null) {
      return wrap(operation, e.getCause());
    }
    return new HeartbeatStoreException(store, operation, e);
  }

  /**
   * Waits for {@code future} until {@code deadlineNanos} of real time ({@link System#nanoTime()}),
   * for shutdown paths that must end in wall time whatever the engine's clock does.
   *
   * @return true when it completed normally in time
   */
  static boolean awaitQuietly(java.util.concurrent.Future<?> future, long deadlineNanos) {
    try {
      future.get(Math.max(0, deadlineNanos - System.nanoTime()),
          java.util.concurrent.TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException | TimeoutException
        | java.util.concurrent.CancellationException e) {
      return false;
    }
  }
}
