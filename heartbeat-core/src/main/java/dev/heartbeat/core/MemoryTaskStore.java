package dev.heartbeat.core;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskRules;
import dev.heartbeat.spi.TaskSignalHub;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The in-memory task store behind {@link MemoryStore#tasks()}: per queue, the tasks by id in a
 * map behind one {@link ReentrantLock}, on the store's clock. A claim scans the queue for due
 * {@code INBOX} tasks and expired claims, oldest claimable first; every write after a claim
 * checks worker, token and expiry under the lock. Tokens grow per task from the last one issued:
 * pruning a task keeps its last token reserved for the id (the oldest reservations beyond the
 * bound fold into a per-queue floor that every new task starts from), so a re-submitted task's
 * tokens still grow. Bounded: {@code maxTasks} tasks per queue, {@link #MAX_QUEUES} queues.
 */
final class MemoryTaskStore implements TaskStore {
  /** The default most tasks one queue holds. */
  static final int DEFAULT_MAX_TASKS = 100_000;
  /** The most queues the store holds. */
  static final int MAX_QUEUES = 10_000;
  static final String CANCEL_REASON = "cancelled";

  private final String store;
  private final Supplier<Instant> clock;
  private final int maxTasks;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Queue> queues = new HashMap<>();
  private final TaskSignalHub signals;

  /** One queue: its tasks, and the last tokens of pruned ids. */
  private static final class Queue {
    final TreeMap<String, MemoryTask> tasks = new TreeMap<>();
    final LinkedHashMap<String, Long> reserved = new LinkedHashMap<>();
    long floor;
  }

  MemoryTaskStore(String store, Supplier<Instant> clock, int maxTasks) {
    this.store = store;
    this.clock = clock;
    this.maxTasks = (int) Checks.atLeast("maxTasks", maxTasks, 1);
    this.signals = new TaskSignalHub(store);
  }

  /** Signals on the writer's thread, after the write, outside the store's lock. */
  @Override
  public Optional<TaskSignals> signals() {
    return Optional.of(signals);
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    Checks.id("queue", queue);
    Checks.notNull("spec", spec);
    TaskView view = locked(() -> {
      Queue q = queues.get(queue);
      if (q == null) {
        if (queues.size() >= MAX_QUEUES) {
          throw new HeartbeatStoreException(store, "submit", "the store holds " + MAX_QUEUES
              + " queues, the most it keeps; cannot add queue '" + queue + "'");
        }
        q = new Queue();
        queues.put(queue, q);
      }
      MemoryTask existing = q.tasks.get(spec.id());
      if (existing != null) {
        return existing.view();
      }
      if (q.tasks.size() >= maxTasks) {
        throw new HeartbeatStoreException(store, "submit", "queue '" + queue + "' holds "
            + maxTasks + " tasks, the most it keeps; prune final tasks before submitting '"
            + spec.id() + "'");
      }
      Long last = q.reserved.remove(spec.id());
      MemoryTask task = new MemoryTask(queue, spec, last != null ? last : q.floor, clock.get());
      q.tasks.put(spec.id(), task);
      return task.view();
    });
    if (view.state() == TaskState.INBOX) {
      signals.signal(queue); // a known id already in INBOX signals again: allowed
    }
    return view;
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    Checks.id("queue", queue);
    Checks.id("worker", worker);
    Checks.id("incarnation", incarnation);
    Checks.atLeast("max", max, 1);
    Checks.positive("ttl", ttl);
    return locked(() -> {
      Queue q = queues.get(queue);
      if (q == null) {
        return List.of();
      }
      Instant now = clock.get();
      List<MemoryTask> claimable = new ArrayList<>();
      for (MemoryTask task : q.tasks.values()) {
        if (task.state == TaskState.INBOX && !task.dueAt.isAfter(now) || task.claimExpired(now)) {
          claimable.add(task);
        }
      }
      claimable.sort(Comparator.comparing(MemoryTask::claimableSince)
          .thenComparing(t -> t.createdAt).thenComparing(t -> t.spec.id()));
      List<TaskClaim> claims = new ArrayList<>();
      for (MemoryTask task : claimable) {
        if (claims.size() >= max) {
          break;
        }
        if (task.state == TaskState.IN_PROGRESS && !takeOverLost(task, now)) {
          continue;
        }
        task.claim(worker, incarnation, now, now.plus(ttl));
        claims.add(new TaskClaim(task.view(), new ClaimRef(queue, task.spec.id(), worker,
            task.token)));
      }
      return claims;
    });
  }

  /**
   * Ends the attempt of an expired claim as {@code WORKER_LOST}; true when the task may be
   * claimed again, false when it was blocked (poison) or cancelled (its cancel was requested).
   */
  private boolean takeOverLost(MemoryTask task, Instant now) {
    Optional<String> poison = TaskRules.afterLost(task.view());
    task.endAttempt(AttemptOutcome.WORKER_LOST, task.claimExpiresAt, Optional.empty(),
        Optional.of("the claim expired"), Optional.empty());
    if (task.cancelRequested) {
      task.reason = CANCEL_REASON;
      task.leave(TaskState.CANCELLED, now);
      return false;
    }
    if (poison.isPresent()) {
      task.reason = poison.get();
      task.leave(TaskState.BLOCKED, now);
      return false;
    }
    task.leave(TaskState.INBOX, now);
    return true;
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
    Checks.notNull("renewals", renewals);
    List<ClaimRenewal> copy = List.copyOf(renewals);
    return locked(() -> {
      Instant now = clock.get();
      List<ClaimAnswer> answers = new ArrayList<>(copy.size());
      for (ClaimRenewal renewal : copy) {
        MemoryTask task = held(renewal.claim(), now);
        if (task == null) {
          answers.add(ClaimAnswer.LOST);
          continue;
        }
        task.claimExpiresAt = now.plus(renewal.ttl());
        task.updatedAt = now;
        answers.add(new ClaimAnswer(Optional.of(task.claimExpiresAt), task.cancelRequested));
      }
      return answers;
    });
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    Checks.notNull("claim", claim);
    Checks.text("progress", progress);
    Checks.notNull("checkpoint", checkpoint);
    checkpoint.ifPresent(c -> Checks.payload("checkpoint", c, TaskSpec.MAX_PAYLOAD_LENGTH));
    return locked(() -> {
      Instant now = clock.get();
      MemoryTask task = held(claim, now);
      if (task == null) {
        return false;
      }
      task.progress = progress;
      checkpoint.ifPresent(c -> task.checkpoint = c);
      task.updatedAt = now;
      return true;
    });
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    Checks.notNull("claim", claim);
    Checks.notNull("end", end);
    boolean ended = locked(() -> {
      Instant now = clock.get();
      MemoryTask task = held(claim, now);
      if (task == null) {
        return false;
      }
      task.endAttempt(end.outcome(), now, end.errorClass(), end.message(), end.stackTrace());
      TaskState next = end.next();
      if (next == TaskState.INBOX && task.cancelRequested) {
        next = TaskState.CANCELLED; // a cancel asked after the last renewal is not lost
        task.reason = CANCEL_REASON;
      }
      switch (next) {
        case DONE -> task.output = end.text().orElse(null);
        case INBOX -> task.dueAt = now.plus(end.retryIn());
        case BLOCKED -> task.reason = end.text().orElseThrow();
        case CANCELLED -> task.reason = end.text().orElse(task.reason);
        case IN_PROGRESS -> throw new IllegalStateException("unreachable: " + end);
      }
      task.leave(next, now);
      return true;
    });
    if (ended && end.next() == TaskState.INBOX) {
      signals.signal(claim.queue());
    }
    return ended;
  }

  /** The task {@code claim} holds at {@code now}, or null. Lock held. */
  private MemoryTask held(ClaimRef claim, Instant now) {
    Queue q = queues.get(claim.queue());
    MemoryTask task = q == null ? null : q.tasks.get(claim.taskId());
    return task != null && task.heldBy(claim.worker(), claim.token(), now) ? task : null;
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return locked(() -> Optional.ofNullable(find(queue, id)).map(MemoryTask::view));
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("state", state);
    Checks.atLeast("limit", limit, 1);
    return locked(() -> {
      Queue q = queues.get(queue);
      if (q == null) {
        return List.of();
      }
      return q.tasks.values().stream().filter(t -> t.state == state)
          .sorted(Comparator.comparing((MemoryTask t) -> t.createdAt)
              .thenComparing(t -> t.spec.id()))
          .limit(limit).map(MemoryTask::view).toList();
    });
  }

  @Override
  public TaskCounts counts(String queue) {
    Checks.id("queue", queue);
    return locked(() -> {
      Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
      Queue q = queues.get(queue);
      if (q != null) {
        for (MemoryTask task : q.tasks.values()) {
          counts.merge(task.state, 1L, Long::sum);
        }
      }
      return new TaskCounts(counts);
    });
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return locked(() -> {
      MemoryTask task = find(queue, id);
      if (task == null || task.state.isFinal()) {
        return Optional.empty();
      }
      Instant now = clock.get();
      if (task.state == TaskState.INBOX) {
        task.reason = CANCEL_REASON;
        task.leave(TaskState.CANCELLED, now);
      } else if (task.claimExpired(now)) {
        task.cancelRequested = true;
        takeOverLost(task, now); // nobody holds it: cancelled at once
      } else if (!task.cancelRequested) {
        task.cancelRequested = true;
        task.updatedAt = now;
      }
      return Optional.of(task.view());
    });
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    Optional<TaskView> retried = locked(() -> {
      MemoryTask task = find(queue, id);
      if (task == null || task.state != TaskState.BLOCKED) {
        return Optional.empty();
      }
      Instant now = clock.get();
      task.failures = 0;
      task.lost = 0;
      task.reason = null;
      task.cancelRequested = false;
      task.dueAt = now;
      task.leave(TaskState.INBOX, now);
      return Optional.of(task.view());
    });
    if (retried.isPresent()) {
      signals.signal(queue);
    }
    return retried;
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("before", before);
    Checks.atLeast("limit", limit, 1);
    return locked(() -> {
      Queue q = queues.get(queue);
      if (q == null) {
        return 0;
      }
      List<MemoryTask> old = q.tasks.values().stream()
          .filter(t -> t.state.isFinal() && t.updatedAt.isBefore(before))
          .sorted(Comparator.comparing((MemoryTask t) -> t.updatedAt)
              .thenComparing(t -> t.spec.id()))
          .limit(limit).toList();
      for (MemoryTask task : old) {
        q.tasks.remove(task.spec.id());
        q.reserved.put(task.spec.id(), task.token);
        if (q.reserved.size() > maxTasks) {
          Iterator<Map.Entry<String, Long>> eldest = q.reserved.entrySet().iterator();
          q.floor = Math.max(q.floor, eldest.next().getValue());
          eldest.remove();
        }
      }
      return old.size();
    });
  }

  private MemoryTask find(String queue, String id) {
    Queue q = queues.get(queue);
    return q == null ? null : q.tasks.get(id);
  }

  private <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }
}
