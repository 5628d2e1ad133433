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

/**
 * A {@link TaskStore} that passes every call to another, for tests that change or watch a few
 * calls (a broken store, a recording one): override what differs. Thread-safe as its delegate.
 */
public class ForwardingTaskStore implements TaskStore {
  /** The store every call goes to. */
  protected final TaskStore delegate;

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the real task store
   */
  public ForwardingTaskStore(TaskStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    return delegate.submit(queue, spec);
  }

  @Override
  public Optional<TaskSignals> signals() {
    return delegate.signals();
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    return delegate.claim(queue, worker, incarnation, max, ttl);
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
    return delegate.renewClaims(renewals);
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    return delegate.progress(claim, progress, checkpoint);
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    return delegate.end(claim, end);
  }

  @Override
  public List<Boolean> endAll(List<ClaimEnd> ends) {
    return delegate.endAll(ends);
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    return delegate.read(queue, id);
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    return delegate.list(queue, state, limit);
  }

  @Override
  public TaskCounts counts(String queue) {
    return delegate.counts(queue);
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    return delegate.cancel(queue, id);
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    return delegate.retry(queue, id);
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    return delegate.prune(queue, before, limit);
  }
}
