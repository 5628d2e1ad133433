package dev.heartbeat.tck;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A {@link TaskStore} whose every call goes through a link's {@code around}. */
final class AroundTaskStore implements TaskStore {
  /** What a link does around each call. */
  interface Around {
    <T> T call(String operation, Supplier<T> call);
  }

  private final TaskStore tasks;
  private final Around around;

  AroundTaskStore(TaskStore tasks, Around around) {
    this.tasks = tasks;
    this.around = around;
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    return around.call("submit", () -> tasks.submit(queue, spec));
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    return around.call("claim", () -> tasks.claim(queue, worker, incarnation, max, ttl));
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
    return around.call("renewClaims", () -> tasks.renewClaims(renewals));
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    return around.call("progress", () -> tasks.progress(claim, progress, checkpoint));
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    return around.call("end", () -> tasks.end(claim, end));
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    return around.call("readTask", () -> tasks.read(queue, id));
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    return around.call("list", () -> tasks.list(queue, state, limit));
  }

  @Override
  public TaskCounts counts(String queue) {
    return around.call("counts", () -> tasks.counts(queue));
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    return around.call("cancel", () -> tasks.cancel(queue, id));
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    return around.call("retry", () -> tasks.retry(queue, id));
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    return around.call("prune", () -> tasks.prune(queue, before, limit));
  }
}
