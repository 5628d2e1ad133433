package dev.heartbeat.core;

import dev.heartbeat.TimeSource;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimEnd;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker's group commit of attempt ends: at most one {@link TaskStore#endAll} on its way; the
 * ends that come while it is take the next one together, sent as soon as it returns. An end that
 * comes with nothing on its way is sent at once, so a lone end waits for nobody; ends that finish
 * together (the attempts of one claim) cost one store call and, on a store that writes a batch in
 * one transaction, one commit. The waiting ends are bounded by {@code capacity} (the worker's
 * concurrency: each attempt ends once); each caller waits for its answer at most the call timeout
 * on the engine's clock.
 */
final class EndBatcher {
  private record Pending(ClaimEnd end, CompletableFuture<Boolean> answer) {}

  private final StoreCalls calls;
  private final TaskStore store;
  private final TimeSource time;
  private final String owner;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>(); // guarded by lock
  private boolean sending; // guarded by lock

  EndBatcher(StoreCalls calls, TaskStore store, TimeSource time, String owner, int capacity) {
    this.calls = calls;
    this.store = store;
    this.time = time;
    this.owner = owner;
    this.capacity = capacity;
  }

  /**
   * Ends the attempt of {@code claim}, with others that end meanwhile, and waits for the answer at
   * most {@code timeout} on the engine's clock.
   *
   * @return true when written, false when fenced out
   * @throws dev.heartbeat.HeartbeatStoreException when the store failed, did not answer in time, or too many
   *     ends wait
   */
  boolean end(ClaimRef claim, AttemptEnd end, Duration timeout) {
    String operation = "endTask(" + claim.queue() + "/" + claim.taskId() + ")";
    CompletableFuture<Boolean> answer = enqueue(new ClaimEnd(claim, end), operation);
    Thread caller = Thread.currentThread();
    answer.whenComplete((r, e) -> LockSupport.unpark(caller));
    long deadline = time.nanoTime() + timeout.toNanos();
    while (!answer.isDone()) {
      if (time.nanoTime() - deadline >= 0) {
        throw calls.wrap(operation, new TimeoutException("no answer within " + timeout));
      }
      time.parkUntil(deadline);
    }
    try {
      return answer.join();
    } catch (CompletionException e) {
      throw calls.wrap(operation, e.getCause());
    }
  }

  /** Ends waiting for the batch on its way (for tests). */
  int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  private CompletableFuture<Boolean> enqueue(ClaimEnd end, String operation) {
    Pending p = new Pending(end, new CompletableFuture<>());
    List<Pending> batch;
    lock.lock();
    try {
      if (waiting.size() >= capacity) {
        p.answer.completeExceptionally(calls.wrap(operation, new IllegalStateException(
            "not sent: " + waiting.size() + " ends already wait for the store")));
        return p.answer;
      }
      waiting.add(p);
      batch = sending ? null : take();
    } finally {
      lock.unlock();
    }
    if (batch != null) {
      send(batch);
    }
    return p.answer;
  }

  /** The waiting ends, which go now; marks a batch on its way. Call with the lock held. */
  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>(waiting);
    waiting.clear();
    sending = true;
    return batch;
  }

  private void send(List<Pending> batch) {
    List<ClaimEnd> ends = batch.stream().map(Pending::end).toList();
    calls.async("endTasks(" + owner + ")", () -> store.endAll(ends)).whenComplete((answers, e) -> {
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<Boolean> answer = batch.get(i).answer;
        if (e != null) {
          answer.completeExceptionally(e);
        } else if (answers == null || answers.size() != batch.size()) {
          answer.completeExceptionally(calls.wrap("endAll", new IllegalStateException(
              "the store answered " + (answers == null ? "nothing" : answers.size() + " answers")
              + " for " + batch.size() + " ends")));
        } else {
          answer.complete(Boolean.TRUE.equals(answers.get(i)));
        }
      }
      List<Pending> next;
      lock.lock();
      try {
        next = waiting.isEmpty() ? null : take();
        if (next == null) {
          sending = false;
        }
      } finally {
        lock.unlock();
      }
      if (next != null) {
        send(next);
      }
    });
  }
}
