package dev.heartbeat.tck;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimEnd;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The task part of a {@link ForwardingStore}: every call goes through the forwarding store's
 * {@code around}, named {@code "tasks." + method}, so a {@link FaultyStore} cuts task calls off
 * like the others.
 */
final class ForwardingTasks implements TaskStore {
  /** How a call is run: the forwarding store's {@code around}. */
  interface Around {
    <T> T call(String operation, Supplier<T> call);
  }

  private final TaskStore tasks;
  private final Around around;

  ForwardingTasks(TaskStore tasks, Around around) {
    this.tasks = tasks;
    this.around = around;
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    return around.call("tasks.submit", () -> tasks.submit(queue, spec));
  }

  @Override
  public Optional<TaskSignals> signals() {
    return tasks.signals();
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    return around.call("tasks.claim", () -> tasks.claim(queue, worker, incarnation, max, ttl));
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
    return around.call("tasks.renewClaims", () -> tasks.renewClaims(renewals));
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    return around.call("tasks.progress", () -> tasks.progress(claim, progress, checkpoint));
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    return around.call("tasks.end", () -> tasks.end(claim, end));
  }

  @Override
  public List<Boolean> endAll(List<ClaimEnd> ends) {
    return around.call("tasks.endAll", () -> tasks.endAll(ends));
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    return around.call("tasks.read", () -> tasks.read(queue, id));
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    return around.call("tasks.list", () -> tasks.list(queue, state, limit));
  }

  @Override
  public TaskCounts counts(String queue) {
    return around.call("tasks.counts", () -> tasks.counts(queue));
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    return around.call("tasks.cancel", () -> tasks.cancel(queue, id));
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    return around.call("tasks.retry", () -> tasks.retry(queue, id));
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    return around.call("tasks.prune", () -> tasks.prune(queue, before, limit));
  }
}
