package dev.heartbeat.core;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.ForwardingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A link to a real store (tasks included) that a test can cut as a whole or for one kind of
 * call: beats fail, renewals fail, renewals are answered lost, ends refused. It records the size
 * of each {@code renewClaims} and {@code endAll} batch.
 */
final class TaskLink extends ForwardingStore {
  volatile boolean cut;
  volatile boolean beatsFail;
  volatile boolean renewalsFail;
  volatile boolean renewalsLost;
  volatile boolean endsRefused;
  /** Whether its tasks pass the memory store's signals on (by default they hide them). */
  volatile boolean signalling;
  final List<Integer> renewalBatches = new CopyOnWriteArrayList<>();
  /** The size of each {@code endAll} batch. */
  final List<Integer> endBatches = new CopyOnWriteArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger progressCalls =
      new java.util.concurrent.atomic.AtomicInteger();
  /** While set, progress writes block until it is counted down. */
  volatile java.util.concurrent.CountDownLatch progressHangs;
  /** While set, claims are made, then their answers held until it is counted down. */
  volatile java.util.concurrent.CountDownLatch claimsHang;
  final java.util.concurrent.atomic.AtomicInteger claimsHeld =
      new java.util.concurrent.atomic.AtomicInteger();
  /** The size of each claim's answer, in the order they were answered. */
  final List<Integer> claimAnswers = new CopyOnWriteArrayList<>();
  /** While set, ends block until it is counted down. */
  volatile java.util.concurrent.CountDownLatch endsHang;
  private static final java.util.Set<String> BEATS = java.util.Set.of("register", "record",
      "recordAll");
  private final TaskStore tasks;

  TaskLink(HeartbeatStore store) {
    super(store);
    this.tasks = store.tasks().orElseThrow();
  }

  private volatile java.util.concurrent.CountDownLatch hanging;

  /** Every call from now on blocks until {@link #heal()}. */
  void hang() {
    hanging = new java.util.concurrent.CountDownLatch(1);
  }

  void heal() {
    java.util.concurrent.CountDownLatch h = hanging;
    hanging = null;
    if (h != null) {
      h.countDown();
    }
  }

  @Override
  protected <T> T around(String operation, Supplier<T> call) {
    java.util.concurrent.CountDownLatch h = hanging;
    if (h != null) {
      try {
        h.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HeartbeatStoreException(describe(), operation, "interrupted while hanging");
      }
    }
    if (cut || beatsFail && BEATS.contains(operation)) {
      throw new HeartbeatStoreException(describe(), operation, "link cut by the test");
    }
    return call.get();
  }

  @Override
  public Optional<TaskStore> tasks() {
    return Optional.of(new Tasks());
  }

  private final class Tasks implements TaskStore {
    @Override
    public Optional<dev.heartbeat.spi.TaskSignals> signals() {
      return signalling ? tasks.signals() : Optional.empty();
    }

    @Override
    public TaskView submit(String queue, TaskSpec spec) {
      return around("submit", () -> tasks.submit(queue, spec));
    }

    @Override
    public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
        Duration ttl) {
      return around("claim", () -> {
        List<TaskClaim> claims = tasks.claim(queue, worker, incarnation, max, ttl);
        claimAnswers.add(claims.size());
        java.util.concurrent.CountDownLatch h = claimsHang;
        if (h != null) {
          claimsHeld.incrementAndGet();
          try {
            h.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return claims;
      });
    }

    @Override
    public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
      return around("renewClaims", () -> {
        renewalBatches.add(renewals.size());
        if (renewalsFail) {
          throw new HeartbeatStoreException(describe(), "renewClaims", "renewals cut");
        }
        if (renewalsLost) {
          return Collections.nCopies(renewals.size(), ClaimAnswer.LOST);
        }
        return tasks.renewClaims(renewals);
      });
    }

    @Override
    public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
      return around("progress", () -> {
        progressCalls.incrementAndGet();
        java.util.concurrent.CountDownLatch h = progressHangs;
        if (h != null) {
          try {
            h.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return tasks.progress(claim, progress, checkpoint);
      });
    }

    @Override
    public boolean end(ClaimRef claim, AttemptEnd end) {
      return around("end", () -> {
        java.util.concurrent.CountDownLatch h = endsHang;
        if (h != null) {
          try {
            h.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return !endsRefused && tasks.end(claim, end);
      });
    }

    @Override
    public List<Boolean> endAll(List<dev.heartbeat.spi.ClaimEnd> ends) {
      return around("endAll", () -> {
        endBatches.add(ends.size());
        java.util.concurrent.CountDownLatch h = endsHang;
        if (h != null) {
          try {
            h.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return endsRefused ? Collections.nCopies(ends.size(), false) : tasks.endAll(ends);
      });
    }

    @Override
    public Optional<TaskView> read(String queue, String id) {
      return around("read", () -> tasks.read(queue, id));
    }

    @Override
    public List<TaskView> list(String queue, TaskState state, int limit) {
      return around("list", () -> tasks.list(queue, state, limit));
    }

    @Override
    public TaskCounts counts(String queue) {
      return around("counts", () -> tasks.counts(queue));
    }

    @Override
    public Optional<TaskView> cancel(String queue, String id) {
      return around("cancel", () -> tasks.cancel(queue, id));
    }

    @Override
    public Optional<TaskView> retry(String queue, String id) {
      return around("retry", () -> tasks.retry(queue, id));
    }

    @Override
    public int prune(String queue, Instant before, int limit) {
      return around("prune", () -> tasks.prune(queue, before, limit));
    }
  }
}
