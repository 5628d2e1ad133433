package dev.heartbeat.core;

import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A value read from the store and shared for a short while: callers within {@code maxAge} of the
 * start of the last read share it (or wait for it while it is on its way), so many callers at once
 * cause one read. A failed read is not shared beyond the callers already waiting for it. Each
 * caller's wait is bounded by the call timeout, on the engine's clock. A read still on its way is
 * shared however old it is, so a store that hangs holds one read of the registry, not one per
 * caller.
 */
final class Snapshot<T> {
  /** A shared read; {@code source} is the store call behind it, once sent. */
  private record Entry<T>(CompletableFuture<T> value, long startedAt,
      AtomicReference<CompletableFuture<T>> source) {}

  private final String operation;
  private final Supplier<CompletableFuture<T>> reader;
  private final StoreCalls calls;
  private final TimeSource time;
  private final long maxAge;
  private final Duration timeout;
  private final AtomicReference<Entry<T>> current = new AtomicReference<>();

  Snapshot(String operation, Supplier<CompletableFuture<T>> reader, StoreCalls calls,
      TimeSource time, Duration maxAge, Duration timeout) {
    this.operation = operation;
    this.reader = reader;
    this.calls = calls;
    this.time = time;
    this.maxAge = maxAge.toNanos();
    this.timeout = timeout;
  }

  /** The shared value, read now if the last one is too old or failed. */
  T get() {
    Entry<T> entry = current.get();
    long now = time.nanoTime();
    boolean onItsWay = entry != null && !entry.value().isDone();
    if (!onItsWay && (entry == null || now - entry.startedAt() >= maxAge
        || entry.value().isCompletedExceptionally())) {
      Entry<T> fresh = new Entry<>(new CompletableFuture<>(), now, new AtomicReference<>());
      if (current.compareAndSet(entry, fresh)) {
        CompletableFuture<T> source = reader.get();
        fresh.source().set(source);
        source.whenComplete((value, error) -> {
          if (error != null) {
            fresh.value().completeExceptionally(error);
          } else {
            fresh.value().complete(value);
          }
        });
        entry = fresh;
      } else {
        entry = current.get();
      }
    }
    return await(entry);
  }

  /** Waits for the shared read on the engine's clock, without a thread of its own. */
  private T await(Entry<T> entry) {
    CompletableFuture<T> shared = entry.value();
    Thread caller = Thread.currentThread();
    shared.whenComplete((value, error) -> LockSupport.unpark(caller));
    long deadline = time.nanoTime() + timeout.toNanos();
    while (!shared.isDone()) {
      if (caller.isInterrupted()) {
        throw calls.wrap(operation, new InterruptedException("interrupted while waiting"));
      }
      if (time.nanoTime() - deadline >= 0) {
        calls.gaveUp(entry.source().get()); // timed out, for the store call listeners
        throw calls.wrap(operation, new TimeoutException("no answer within " + timeout));
      }
      time.parkUntil(deadline);
    }
    try {
      return shared.join();
    } catch (CompletionException e) {
      throw calls.wrap(operation, e.getCause());
    }
  }
}
