package dev.heartbeat.tck;

import dev.heartbeat.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reference for {@link TaskModelProperties}: a few tasks in microseconds of the test clock,
 * with the rules of {@link dev.heartbeat.spi.TaskStore} written out plainly. Workers' policy (the
 * engine's part: how many failures block a task) is the property's, not the store's.
 */
final class TaskModel {
  static final int MAX_LOST = 2;
  static final int MAX_ATTEMPTS = 2;
  /** One second of the model's clock, which counts microseconds. */
  static final long SECOND = 1_000_000;

  /** One task as the model sees it. */
  static final class Task {
    final int id;
    boolean exists;
    TaskState state;
    long token;
    int worker = -1;
    long expires;
    long due;
    long created;
    long finalAt;
    int failures;
    int lost;
    boolean cancelRequested;
    int attempts;

    Task(int id) {
      this.id = id;
    }

    long since() {
      return state == TaskState.IN_PROGRESS ? expires : due;
    }
  }

  long now;
  final Task[] tasks;
  /** The greatest token ever issued per task, across prune and re-submission. */
  final long[] lastIssued;

  TaskModel(int count) {
    tasks = new Task[count];
    lastIssued = new long[count];
    for (int i = 0; i < count; i++) {
      tasks[i] = new Task(i);
    }
  }

  void submit(int i) {
    Task t = tasks[i];
    if (t.exists) {
      return;
    }
    tasks[i] = t = new Task(i);
    t.exists = true;
    t.state = TaskState.INBOX;
    t.created = now;
    t.due = now;
  }

  /** The tasks a claim of {@code max} takes, in order; expired claims on the way are settled. */
  List<Integer> claim(int worker, int max, long ttl) {
    List<Task> claimable = new ArrayList<>();
    for (Task t : tasks) {
      if (t.exists && (t.state == TaskState.INBOX && t.due <= now
          || t.state == TaskState.IN_PROGRESS && t.expires <= now)) {
        claimable.add(t);
      }
    }
    claimable.sort(Comparator.comparingLong(Task::since).thenComparingLong(t -> t.created)
        .thenComparing(t -> "t" + t.id));
    List<Integer> claimed = new ArrayList<>();
    for (Task t : claimable) {
      if (claimed.size() >= max) {
        break;
      }
      if (t.state == TaskState.IN_PROGRESS && !takeOverLost(t)) {
        continue;
      }
      t.state = TaskState.IN_PROGRESS;
      t.worker = worker;
      t.expires = now + ttl;
      t.cancelRequested = false;
      t.attempts++;
      claimed.add(t.id);
    }
    return claimed;
  }

  private boolean takeOverLost(Task t) {
    boolean poison = t.lost + 1 >= MAX_LOST;
    t.lost++;
    t.worker = -1;
    if (t.cancelRequested) {
      enterFinal(t, TaskState.CANCELLED);
      return false;
    }
    if (poison) {
      enterFinal(t, TaskState.BLOCKED);
      return false;
    }
    t.state = TaskState.INBOX;
    return true;
  }

  private void enterFinal(Task t, TaskState state) {
    t.state = state;
    t.worker = -1;
    t.finalAt = now;
  }

  boolean held(int i, int worker, long token) {
    Task t = tasks[i];
    return t.exists && t.state == TaskState.IN_PROGRESS && t.worker == worker && t.token == token
        && now < t.expires;
  }

  void renew(int i, long ttl) {
    tasks[i].expires = now + ttl;
  }

  /** Ends a held attempt; returns what the task becomes. */
  void end(int i, TaskModelProperties.EndKind kind, long retryIn) {
    Task t = tasks[i];
    t.worker = -1;
    switch (kind) {
      case DONE -> enterFinal(t, TaskState.DONE);
      case BLOCK -> enterFinal(t, TaskState.BLOCKED);
      case CANCEL -> enterFinal(t, TaskState.CANCELLED);
      case FAIL -> {
        t.failures++;
        if (t.failures >= MAX_ATTEMPTS) {
          enterFinal(t, TaskState.BLOCKED);
        } else {
          backToInbox(t, retryIn);
        }
      }
      case RELEASE -> backToInbox(t, 0);
    }
  }

  private void backToInbox(Task t, long retryIn) {
    if (t.cancelRequested) {
      enterFinal(t, TaskState.CANCELLED);
      return;
    }
    t.state = TaskState.INBOX;
    t.due = now + retryIn;
  }

  /** Whether the cancel returns the task. */
  boolean cancel(int i) {
    Task t = tasks[i];
    if (!t.exists || t.state.isFinal()) {
      return false;
    }
    if (t.state == TaskState.INBOX) {
      enterFinal(t, TaskState.CANCELLED);
    } else if (t.expires <= now) {
      t.cancelRequested = true;
      takeOverLost(t);
    } else {
      t.cancelRequested = true;
    }
    return true;
  }

  boolean retry(int i) {
    Task t = tasks[i];
    if (!t.exists || t.state != TaskState.BLOCKED) {
      return false;
    }
    t.state = TaskState.INBOX;
    t.failures = 0;
    t.lost = 0;
    t.cancelRequested = false;
    t.due = now;
    return true;
  }

  /** Prunes final tasks that became final before now; returns how many. */
  int prune() {
    int pruned = 0;
    for (Task t : tasks) {
      if (t.exists && t.state.isFinal() && t.finalAt < now) {
        t.exists = false;
        pruned++;
      }
    }
    return pruned;
  }
}
