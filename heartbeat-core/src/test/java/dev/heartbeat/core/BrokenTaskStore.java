package dev.heartbeat.core;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimEnd;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ForwardingTaskStore;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskSignalHub;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A deliberately broken task store for the kit's own tests, over a correct one, with one flaw:
 * {@link Flaw#LAX_END} ends an attempt when the task is in progress, whoever holds it (the
 * compare-and-set forgot worker and token), so a fenced-out worker's late end wins over the new
 * holder's; {@link Flaw#STUCK_TOKEN} hands out token 1 for every claim and takes token 1 for the
 * task's current claim, so tokens never grow and fence nothing; {@link Flaw#CROSSED_SIGNALS}
 * signals every listener of any queue on every write of any queue; {@link Flaw#SORTED_END_ALL}
 * writes a batch of ends in the order of their task ids (as a store that locks rows in key order
 * would) and answers in that order, not in the order asked.
 */
final class BrokenTaskStore extends ForwardingStore {
  /** What is broken. */
  enum Flaw { LAX_END, STUCK_TOKEN, CROSSED_SIGNALS, SORTED_END_ALL }

  private final Optional<TaskStore> tasks;

  BrokenTaskStore(HeartbeatStore store, Flaw flaw) {
    super(store);
    TaskStore real = store.tasks().orElseThrow();
    tasks = Optional.of(switch (flaw) {
      case LAX_END -> new LaxEnd(real);
      case STUCK_TOKEN -> new StuckToken(real);
      case CROSSED_SIGNALS -> new CrossedSignals(real);
      case SORTED_END_ALL -> new SortedEndAll(real);
    });
  }

  @Override
  public Optional<TaskStore> tasks() {
    return tasks;
  }

  /** Passes every call through; the flaws override what they break. */
  private static class Through extends ForwardingTaskStore {
    final TaskStore real;

    Through(TaskStore real) {
      super(real);
      this.real = real;
    }

    /** The claim that holds the task now, whoever was asked about. */
    Optional<ClaimRef> holder(ClaimRef claim) {
      return real.read(claim.queue(), claim.taskId())
          .filter(t -> t.state() == TaskState.IN_PROGRESS)
          .map(t -> new ClaimRef(claim.queue(), claim.taskId(), t.worker().orElseThrow(),
              t.token()));
    }
  }

  private static final class LaxEnd extends Through {
    LaxEnd(TaskStore real) {
      super(real);
    }

    @Override
    public boolean end(ClaimRef claim, AttemptEnd end) {
      return real.end(claim, end) || holder(claim).map(h -> real.end(h, end)).orElse(false);
    }
  }

  private static final class SortedEndAll extends Through {
    SortedEndAll(TaskStore real) {
      super(real);
    }

    @Override
    public List<Boolean> endAll(List<ClaimEnd> ends) {
      return real.endAll(ends.stream()
          .sorted(java.util.Comparator.comparing(e -> e.claim().taskId())).toList());
    }
  }

  private static final class StuckToken extends Through {
    StuckToken(TaskStore real) {
      super(real);
    }

    private ClaimRef unstuck(ClaimRef claim) {
      return claim.token() != 1 ? claim : holder(claim)
          .filter(h -> h.worker().equals(claim.worker())).orElse(claim);
    }

    private static TaskView stuck(TaskView t) {
      return new TaskView(t.queue(), t.spec(), t.state(), Math.min(t.token(), 1), t.worker(),
          t.claimExpiresAt(), t.dueAt(), t.failures(), t.lost(), t.progress(), t.checkpoint(),
          t.output(), t.reason(), t.cancelRequested(), t.createdAt(), t.updatedAt(),
          t.attempts());
    }

    @Override
    public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
        Duration ttl) {
      return real.claim(queue, worker, incarnation, max, ttl).stream()
          .map(c -> new TaskClaim(stuck(c.task()), new ClaimRef(queue, c.task().id(), worker, 1)))
          .toList();
    }

    @Override
    public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
      return real.renewClaims(renewals.stream()
          .map(r -> new ClaimRenewal(unstuck(r.claim()), r.ttl())).toList());
    }

    @Override
    public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
      return real.progress(unstuck(claim), progress, checkpoint);
    }

    @Override
    public boolean end(ClaimRef claim, AttemptEnd end) {
      return real.end(unstuck(claim), end);
    }

    @Override
    public TaskView submit(String queue, TaskSpec spec) {
      return stuck(real.submit(queue, spec));
    }

    @Override
    public Optional<TaskView> read(String queue, String id) {
      return real.read(queue, id).map(StuckToken::stuck);
    }

    @Override
    public List<TaskView> list(String queue, TaskState state, int limit) {
      return real.list(queue, state, limit).stream().map(StuckToken::stuck).toList();
    }

    @Override
    public Optional<TaskView> cancel(String queue, String id) {
      return real.cancel(queue, id).map(StuckToken::stuck);
    }

    @Override
    public Optional<TaskView> retry(String queue, String id) {
      return real.retry(queue, id).map(StuckToken::stuck);
    }
  }

  private static final class CrossedSignals extends Through implements TaskSignals {
    private final TaskSignalHub hub = new TaskSignalHub("crossed");
    private final Set<String> queues = ConcurrentHashMap.newKeySet();

    CrossedSignals(TaskStore real) {
      super(real);
    }

    @Override
    public Optional<TaskSignals> signals() {
      return Optional.of(this);
    }

    @Override
    public Subscription subscribe(String queue, Runnable listener) {
      queues.add(queue);
      return hub.subscribe(queue, listener);
    }

    private <T> T everyone(T result) {
      queues.forEach(hub::signal);
      return result;
    }

    @Override
    public TaskView submit(String queue, TaskSpec spec) {
      return everyone(real.submit(queue, spec));
    }

    @Override
    public boolean end(ClaimRef claim, AttemptEnd end) {
      return everyone(real.end(claim, end));
    }

    @Override
    public Optional<TaskView> retry(String queue, String id) {
      return everyone(real.retry(queue, id));
    }
  }
}
