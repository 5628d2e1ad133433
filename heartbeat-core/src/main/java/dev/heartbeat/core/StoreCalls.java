package dev.heartbeat.core;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.StoreCallListener;
import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs store operations on virtual threads of their own, so that a hanging store never holds up
 * the ticker, and bounds the caller's wait on the engine's {@link TimeSource}. A call abandoned at
 * its deadline keeps running in the background; its result is ignored.
 *
 * <p>Abandoned calls are bounded: no call is sent while an abandoned call of the same kind (its
 * operation name, such as {@code beat(w1)} or {@code tryAcquire(l)}) still runs; it is refused at
 * once with a {@link HeartbeatStoreException}, which its caller treats as a failed attempt. A
 * call is abandoned when {@link #bounded} gave up on it, when its caller says so
 * ({@link #abandoned}), or, for calls the ticker starts, when the ticker starts another of the
 * same kind (the ticker only does that once it gave up on the first). Batches ({@code
 * renewAll(3 leases)}: a name that counts its members) are not one kind: their members are each
 * held back by their owner. So while the store hangs, each agent, election and detector holds at
 * most one or two calls in it, however long the hang lasts; a call that never returns (a store
 * without network timeouts) holds its kind back until it does.
 */
final class StoreCalls {
  /** A store answer and how long it took on the engine's clock. */
  record Timed<T>(T value, Duration latency) {}

  private static final Pattern BATCH = Pattern.compile("\\w+\\(\\d+ (leases|beats|agents)\\)");

  private final String store;
  private final TimeSource time;
  private final BooleanSupplier onTicker;
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  /** Kind to a call given up on that still runs; an entry goes when its call returns. */
  private final ConcurrentHashMap<String, CompletableFuture<?>> abandoned =
      new ConcurrentHashMap<>();
  /** Kind to the running call the ticker started; an entry goes when its call returns. */
  private final ConcurrentHashMap<String, CompletableFuture<?>> ticking =
      new ConcurrentHashMap<>();
  /** Calls a caller gave up on that still run; an entry goes when its call returns. */
  private final java.util.Set<CompletableFuture<?>> gaveUp = ConcurrentHashMap.newKeySet();
  private final CallListeners listeners = new CallListeners();

  StoreCalls(String store, TimeSource time) {
    this(store, time, () -> false);
  }

  /** Calls for which {@code onTicker} tells whether the current thread is the ticker. */
  StoreCalls(String store, TimeSource time, BooleanSupplier onTicker) {
    this.store = store;
    this.time = time;
    this.onTicker = onTicker;
  }

  /**
   * Starts {@code op} on a new virtual thread; failures are wrapped as store exceptions. Refused
   * (a future failed at once) while an abandoned call of the same kind still runs.
   */
  <T> CompletableFuture<T> async(String operation, Supplier<T> op) {
    return start(operation, op, (value, latency) -> value);
  }

  /** Like {@link #async}, with the time the store took to answer. */
  <T> CompletableFuture<Timed<T>> timed(String operation, Supplier<T> op) {
    return start(operation, op, Timed::new);
  }

  private <T, R> CompletableFuture<R> start(String operation, Supplier<T> op,
      BiFunction<T, Duration, R> answer) {
    CompletableFuture<R> future = new CompletableFuture<>();
    HeartbeatStoreException refusal = refusal(operation);
    boolean gated = refusal == null && onTicker.getAsBoolean()
        && !BATCH.matcher(operation).matches();
    if (gated) {
      CompletableFuture<?> previous = ticking.putIfAbsent(operation, future);
      if (previous != null) {
        abandoned(operation, previous); // the ticker gave up on it, or it would not send again
        refusal = refusal(operation);
        gated = false;
      }
    }
    if (refusal != null) {
      future.completeExceptionally(refusal);
      return future;
    }
    boolean inTicking = gated;
    running.incrementAndGet();
    Thread.ofVirtual().name("heartbeat-call-" + operation).start(() -> {
      long begin = time.nanoTime();
      R result = null;
      Throwable failure = null;
      Duration latency = null;
      try {
        T value = op.get();
        latency = Duration.ofNanos(Math.max(0, time.nanoTime() - begin));
        result = answer.apply(value, latency);
      } catch (IllegalArgumentException e) {
        failure = e;
      } catch (Throwable e) {
        failure = wrap(operation, e);
      }
      if (latency == null) {
        latency = Duration.ofNanos(Math.max(0, time.nanoTime() - begin));
      }
      // told before the caller hears the answer, so that a caller's next read sees this call
      listeners.completed(operation, gaveUp.remove(future) ? StoreCallListener.Result.TIMED_OUT
          : failure == null ? StoreCallListener.Result.SUCCEEDED
          : StoreCallListener.Result.FAILED, latency);
      // the gates open before the caller hears the answer, so that its next call may go at once
      running.decrementAndGet();
      if (inTicking) {
        ticking.remove(operation, future);
      }
      abandoned.remove(operation, future);
      if (failure == null) {
        future.complete(result);
      } else {
        future.completeExceptionally(failure);
      }
    });
    return future;
  }

  /**
   * Notes that the caller gave up on {@code call} of kind {@code kind}: no call of that kind is
   * sent until it returns.
   */
  void abandoned(String kind, CompletableFuture<?> call) {
    if (call == null || call.isDone()) {
      return;
    }
    gaveUp(call);
    abandoned.put(kind, call);
    // it may have returned meanwhile, before its own removal could see the entry
    call.whenComplete((r, e) -> abandoned.remove(kind, call));
  }

  /**
   * Notes that a caller gave up waiting for {@code call} (the listeners hear it as timed out when
   * it returns) without holding back its kind.
   */
  void gaveUp(CompletableFuture<?> call) {
    if (call == null || call.isDone()) {
      return;
    }
    gaveUp.add(call);
    call.whenComplete((r, e) -> gaveUp.remove(call)); // returned meanwhile: no entry stays
  }

  /** Adds a listener told of every call once it returned. */
  StoreCallListener.Subscription onCall(StoreCallListener listener) {
    return listeners.add(listener);
  }

  /**
   * The refusal of a call of {@code kind}, counted, when an abandoned call of that kind still
   * runs; otherwise null.
   */
  HeartbeatStoreException refusal(String kind) {
    CompletableFuture<?> stuck = abandoned.get(kind);
    if (stuck == null || stuck.isDone()) {
      return null;
    }
    refused.incrementAndGet();
    return new HeartbeatStoreException(store, kind, "not sent: the previous " + kind
        + " call was given up on and has not returned yet");
  }

  /** Store calls started and not returned yet, abandoned or not. */
  long running() {
    return running.get();
  }

  /** Calls not sent because an abandoned call of their kind still ran. */
  long refused() {
    return refused.get();
  }

  /**
   * Runs {@code op} and waits at most {@code timeout} on the engine's clock; a call given up on
   * holds back its kind until it returns.
   *
   * @throws HeartbeatStoreException when it fails, times out, is refused or the caller is
   *     interrupted
   */
  <T> T bounded(String operation, Duration timeout, Supplier<T> op) {
    CompletableFuture<T> future = async(operation, op);
    Thread caller = Thread.currentThread();
    future.whenComplete((r, e) -> LockSupport.unpark(caller));
    long deadline = time.nanoTime() + timeout.toNanos();
    while (!future.isDone()) {
      if (Thread.currentThread().isInterrupted()) {
        abandoned(operation, future);
        throw new HeartbeatStoreException(store, operation, "interrupted while waiting");
      }
      if (time.nanoTime() - deadline >= 0) {
        abandoned(operation, future);
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
