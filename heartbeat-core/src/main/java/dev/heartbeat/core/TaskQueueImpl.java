package dev.heartbeat.core;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.TaskStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link TaskQueue}: no state of its own; each call checks its input, then makes one store call
 * through the engine's bounded call path (so a hanging store costs the caller at most the call
 * timeout).
 */
final class TaskQueueImpl implements TaskQueue {
  /** The most tasks one list call returns. */
  static final int MAX_LIST = 10_000;

  private final Engine engine;
  private final TaskStore store;
  private final String name;

  TaskQueueImpl(Engine engine, TaskStore store, String name) {
    this.engine = engine;
    this.store = store;
    this.name = Checks.id("queue", name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TaskView submit(TaskSpec spec) {
    Checks.notNull("spec", spec);
    return call("submit(" + name + "/" + spec.id() + ")", () -> store.submit(name, spec));
  }

  @Override
  public Optional<TaskView> task(String id) {
    Checks.id("id", id);
    return call("readTask(" + name + "/" + id + ")", () -> store.read(name, id));
  }

  @Override
  public List<TaskView> tasks(TaskState state, int limit) {
    Checks.notNull("state", state);
    if (limit < 1 || limit > MAX_LIST) {
      throw new IllegalArgumentException("limit must be in [1, " + MAX_LIST + "], got " + limit);
    }
    return call("listTasks(" + name + "/" + state + ")", () -> store.list(name, state, limit));
  }

  @Override
  public TaskCounts counts() {
    return call("countTasks(" + name + ")", () -> store.counts(name));
  }

  @Override
  public Optional<TaskView> retry(String id) {
    Checks.id("id", id);
    return call("retryTask(" + name + "/" + id + ")", () -> store.retry(name, id));
  }

  @Override
  public Optional<TaskView> cancel(String id) {
    Checks.id("id", id);
    return call("cancelTask(" + name + "/" + id + ")", () -> store.cancel(name, id));
  }

  private <T> T call(String operation, Supplier<T> op) {
    engine.checkOpen();
    return engine.calls().bounded(operation, engine.config().callTimeout(), op);
  }

  @Override
  public String toString() {
    return "task queue " + name + " on " + engine.store().describe();
  }
}
