package dev.heartbeat.grpc;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Group commit of the beats the server's calls record ({@code Beat} and {@code BeatStream}): a
 * call puts its beat in a bounded queue and waits; a few writer threads each take what waits, up
 * to {@code maxBatch} beats, and write it with one {@link HeartbeatStore#recordAll} call. While a
 * batch is being written the next one gathers, so a beat waits at most for the batch before its
 * own: no timer, no linger when the store is idle. Each call gets what the store answered for its
 * own beat (the stored state, the newer one when its beat was stale). A full queue refuses the
 * beat with {@code RESOURCE_EXHAUSTED}, naming the limit.
 */
final class BeatBatcher implements AutoCloseable {
  /** The most beats one store call takes, unless set otherwise. */
  static final int DEFAULT_MAX_BATCH = 1_000;

  /** The most beats waiting for the store, unless set otherwise. */
  static final int DEFAULT_MAX_WAITING = 20_000;

  /** Batches in flight at once: one written while the next gathers, and one more. */
  static final int DEFAULT_WRITERS = 2;

  private record Pending(Beat beat, CompletableFuture<Optional<Heartbeat>> answer) {}

  private final HeartbeatStore store;
  private final int maxBatch;
  private final int maxWaiting;
  private final BlockingQueue<Pending> queue;
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean closed;

  BeatBatcher(HeartbeatStore store, int maxBatch, int maxWaiting, int writers) {
    this.store = store;
    this.maxBatch = maxBatch;
    this.maxWaiting = maxWaiting;
    this.queue = new ArrayBlockingQueue<>(maxWaiting);
    for (int i = 0; i < writers; i++) {
      this.writers.add(Thread.ofVirtual().name("heartbeat-grpc-beats-" + i).start(this::write));
    }
  }

  /**
   * Records {@code beat} in the next batch and waits for it to be written.
   *
   * @return what {@link HeartbeatStore#record} would have returned for it
   * @throws io.grpc.StatusRuntimeException {@code RESOURCE_EXHAUSTED} when the queue is full
   * @throws RuntimeException what the store threw for the batch
   */
  Optional<Heartbeat> record(Beat beat) {
    Pending p = new Pending(beat, new CompletableFuture<>());
    if (closed || !queue.offer(p)) {
      throw (closed ? Status.UNAVAILABLE.withDescription("the server is closing")
          : Status.RESOURCE_EXHAUSTED.withDescription("the server holds " + maxWaiting
              + " beats waiting for the store, its limit; try again later")).asRuntimeException();
    }
    if (closed) { // closed after the offer: the writers may be gone, answer it here
      fail(List.of(p), closedError());
    }
    try {
      return p.answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted waiting for the store")
          .asRuntimeException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new HeartbeatStoreException(store.describe(), "recordAll", e.getCause());
    }
  }

  /** How many beats wait for a writer (the batch being written not counted). */
  int waiting() {
    return queue.size();
  }

  private void write() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        Pending first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        write(batch);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException | Error e) {
        fail(batch, e);
      } finally {
        batch.clear();
      }
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left, closedError());
  }

  private void write(List<Pending> batch) {
    List<Beat> beats = new ArrayList<>(batch.size());
    batch.forEach(p -> beats.add(p.beat));
    List<Optional<Heartbeat>> answers;
    try {
      answers = store.recordAll(beats);
    } catch (IllegalArgumentException | NullPointerException e) {
      // one beat the store refuses must not fail the others: each on its own, for its answer
      for (Pending p : batch) {
        try {
          p.answer.complete(store.record(p.beat));
        } catch (RuntimeException one) {
          p.answer.completeExceptionally(one);
        }
      }
      return;
    }
    if (answers.size() != batch.size()) {
      throw new HeartbeatStoreException(store.describe(), "recordAll", new IllegalStateException(
          "answered " + answers.size() + " of " + batch.size() + " beats"));
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).answer.complete(answers.get(i));
    }
  }

  private static void fail(List<Pending> batch, Throwable e) {
    batch.forEach(p -> p.answer.completeExceptionally(e));
  }

  private static RuntimeException closedError() {
    return Status.UNAVAILABLE.withDescription("the server is closing").asRuntimeException();
  }

  /** Stops the writers; beats still waiting are answered {@code UNAVAILABLE}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    writers.forEach(Thread::interrupt);
    for (Thread t : writers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left, closedError());
  }
}
