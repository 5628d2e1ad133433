package dev.heartbeat.file;

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
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file store's tasks ({@link FileStore#tasks()}): per queue a directory of task files, an
 * index and a token counter ({@link TaskQueueFiles}), on the store's clock. Every write holds the
 * queue's lock file (a JVM lock and an OS lock, so threads and processes exclude each other),
 * reads the task files it changes, applies the rules of the in-memory store (which the kit holds
 * both to) and writes them back, each durably replaced; the task file is the commit point. A
 * claim reads the index for the due candidates, oldest claimable first, and only their files.
 * Tokens come from the queue's counter, written twice before the task files that carry them: one
 * above the highest of both copies, the index's copy and the task's own, so they grow across
 * prune and re-submission. Reads ({@link #read}, {@link #list}, {@link #counts}) take no lock;
 * {@link #list}, {@link #counts} and {@link #prune} read every task file of the queue. Bounded:
 * {@code maxTasks} tasks per queue (as the index counts them), about {@link #MAX_QUEUES} queues.
 */
final class FileTaskStore implements TaskStore {
  /** The default most tasks one queue holds. */
  static final int DEFAULT_MAX_TASKS = 100_000;
  /** The most queues the store holds (a bound checked without a lock: about). */
  static final int MAX_QUEUES = 10_000;
  static final String CANCEL_REASON = "cancelled";

  private final FileStore store;
  private final Path root;
  private final InstantSource clock;
  private final StoreProblems problems;
  private final Duration lockTimeout;
  private final int maxTasks;
  private final TaskClaims claims;

  FileTaskStore(FileStore store, InstantSource clock, StoreProblems problems,
      Duration lockTimeout, int maxTasks) {
    this.store = store;
    this.root = store.directory();
    this.clock = clock;
    this.problems = problems;
    this.lockTimeout = lockTimeout;
    this.maxTasks = (int) Checks.atLeast("maxTasks", maxTasks, 1);
    this.claims = new TaskClaims(clock, problems);
  }

  TaskQueueFiles files(String queue) {
    return new TaskQueueFiles(root, queue, clock, problems, lockTimeout);
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    Checks.id("queue", queue);
    Checks.notNull("spec", spec);
    return store.io("tasks.submit(" + queue + ", " + spec.id() + ")", () -> {
      TaskQueueFiles q = files(queue);
      if (!q.make(MAX_QUEUES)) {
        throw new HeartbeatStoreException(store.describe(), "submit", "the store holds "
            + MAX_QUEUES + " queues, the most it keeps; cannot add queue '" + queue + "'");
      }
      return q.locked(() -> {
        boolean existed = false;
        try {
          FileTask existing = q.read(q.taskFile(spec.id()), spec.id());
          if (existing != null) {
            return existing.view();
          }
        } catch (BadRecord e) {
          problems.report(q.taskFile(spec.id()).toString(), e.getMessage());
          existed = true; // replaced by the submitted task; its tokens still grow
        }
        TaskIndex before = q.index();
        if (!existed && before.size() >= maxTasks) {
          throw new HeartbeatStoreException(store.describe(), "submit", "queue '" + queue
              + "' holds " + maxTasks + " tasks, the most it keeps; prune final tasks before"
              + " submitting '" + spec.id() + "'");
        }
        FileTask task = new FileTask(queue, spec, clock.instant());
        TaskIndex after = before.copy();
        after.update(task, existed);
        q.save(before, after, List.of(task));
        return task.view();
      });
    });
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    Checks.id("queue", queue);
    Checks.id("worker", worker);
    Checks.id("incarnation", incarnation);
    Checks.atLeast("max", max, 1);
    Checks.positive("ttl", ttl);
    return store.io("tasks.claim(" + queue + ")", () -> {
      TaskQueueFiles q = files(queue);
      return q.exists() ? q.locked(() -> claims.claim(q, worker, incarnation, max, ttl))
          : List.<TaskClaim>of();
    });
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
    Checks.notNull("renewals", renewals);
    List<ClaimRenewal> copy = List.copyOf(renewals);
    ClaimAnswer[] answers = new ClaimAnswer[copy.size()];
    for (Map.Entry<String, List<Integer>> group : TaskClaims.byQueue(copy).entrySet()) {
      TaskQueueFiles q = files(group.getKey());
      store.io("tasks.renewClaims(" + q.queue + ")", () -> {
        if (!q.exists()) {
          group.getValue().forEach(i -> answers[i] = ClaimAnswer.LOST);
          return null;
        }
        return q.locked(() -> {
          claims.renew(q, copy, group.getValue(), answers);
          return null;
        });
      });
    }
    return List.of(answers);
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    Checks.notNull("claim", claim);
    Checks.text("progress", progress);
    Checks.notNull("checkpoint", checkpoint);
    checkpoint.ifPresent(c -> Checks.payload("checkpoint", c, TaskSpec.MAX_PAYLOAD_LENGTH));
    return store.io("tasks.progress(" + claim.queue() + ", " + claim.taskId() + ")", () -> {
      TaskQueueFiles q = files(claim.queue());
      return q.exists() && q.locked(() -> {
        Instant now = clock.instant();
        FileTask task = q.load(claim.taskId());
        if (task == null || !task.heldBy(claim.worker(), claim.token(), now)) {
          return false;
        }
        task.progress = progress;
        checkpoint.ifPresent(c -> task.checkpoint = c);
        task.updatedAt = now;
        q.writeTask(task);
        return true;
      });
    });
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    Checks.notNull("claim", claim);
    Checks.notNull("end", end);
    return store.io("tasks.end(" + claim.queue() + ", " + claim.taskId() + ")", () -> {
      TaskQueueFiles q = files(claim.queue());
      return q.exists() && q.locked(() -> {
        Instant now = clock.instant();
        FileTask task = q.load(claim.taskId());
        if (task == null || !task.heldBy(claim.worker(), claim.token(), now)) {
          return false;
        }
        TaskClaims.end(task, end, now);
        saveOne(q, task);
        return true;
      });
    });
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return store.io("tasks.read(" + queue + ", " + id + ")",
        () -> Optional.ofNullable(files(queue).load(id)).map(FileTask::view));
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("state", state);
    Checks.atLeast("limit", limit, 1);
    return store.io("tasks.list(" + queue + ")", () -> files(queue).all().stream()
        .filter(t -> t.state == state)
        .sorted(Comparator.comparing((FileTask t) -> t.createdAt).thenComparing(FileTask::id))
        .limit(limit).map(FileTask::view).toList());
  }

  @Override
  public TaskCounts counts(String queue) {
    Checks.id("queue", queue);
    return store.io("tasks.counts(" + queue + ")", () -> {
      Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
      for (FileTask task : files(queue).all()) {
        counts.merge(task.state, 1L, Long::sum);
      }
      return new TaskCounts(counts);
    });
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return store.io("tasks.cancel(" + queue + ", " + id + ")", () -> {
      TaskQueueFiles q = files(queue);
      return !q.exists() ? Optional.<TaskView>empty() : q.locked(() -> {
        FileTask task = q.load(id);
        if (task == null || task.state.isFinal()) {
          return Optional.<TaskView>empty();
        }
        if (TaskClaims.cancel(task, clock.instant())) {
          saveOne(q, task);
        }
        return Optional.of(task.view());
      });
    });
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return store.io("tasks.retry(" + queue + ", " + id + ")", () -> {
      TaskQueueFiles q = files(queue);
      return !q.exists() ? Optional.<TaskView>empty() : q.locked(() -> {
        FileTask task = q.load(id);
        if (task == null || task.state != TaskState.BLOCKED) {
          return Optional.<TaskView>empty();
        }
        task.retry(clock.instant());
        saveOne(q, task);
        return Optional.of(task.view());
      });
    });
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("before", before);
    Checks.atLeast("limit", limit, 1);
    return store.io("tasks.prune(" + queue + ")", () -> {
      TaskQueueFiles q = files(queue);
      return !q.exists() ? 0 : q.locked(() -> {
        TaskIndex index = q.index();
        List<FileTask> old = q.all().stream()
            .filter(t -> t.state.isFinal() && t.updatedAt.isBefore(before))
            .sorted(Comparator.comparing((FileTask t) -> t.updatedAt)
                .thenComparing(FileTask::id))
            .limit(limit).toList();
        for (FileTask task : old) {
          q.delete(task); // the counter keeps its tokens: it is never lowered
        }
        if (!old.isEmpty()) {
          TaskIndex after = index.copy();
          after.pruned(old.size());
          q.writeIndex(after);
        }
        return old.size();
      });
    });
  }

  /** Writes one changed task and the index entry that follows from it. */
  private static void saveOne(TaskQueueFiles q, FileTask task) throws IOException {
    TaskIndex before = q.index();
    TaskIndex after = before.copy();
    after.update(task, true);
    q.save(before, after, List.of(task));
  }
}
