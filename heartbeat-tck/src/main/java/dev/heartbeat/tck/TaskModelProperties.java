package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AttemptOutcome;
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
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of submit, claim, renew, progress, end, cancel, retry, prune, clock moves and
 * worker deaths from several workers, run against a store's tasks and a small reference model
 * ({@link TaskModel}). After every step the store must agree with the model on every outcome and
 * on each task's state, holder and counts; and: a task has at most one live claim, tokens only
 * grow (across prune and re-submission too), a final state changes only by retry (or prune), every
 * submitted task is in exactly one state, a fenced-out write changes nothing, and the attempt and
 * loss counts stay within their limits.
 */
public abstract class TaskModelProperties {
  /** For subclasses: a store's test class extends it. */
  protected TaskModelProperties() {}

  private static final String Q = "model";
  private static final int WORKERS = 3;
  private static final int TASKS = 3;

  /**
   * The store under test.
   *
   * @return the store under test
   */
  protected abstract StoreHarness harness();

  /** How a step ends an attempt. */
  enum EndKind { DONE, FAIL, BLOCK, CANCEL, RELEASE }

  /**
   * One step of a generated run; a kit test replays steps with {@link #play} to show a broken
   * store failing them (its {@code toString} names the step in a failure).
   */
  public sealed interface Op
      permits Submit, Claim, Renew, Progress, End, Cancel, Retry, Advance, Die, Prune {}

  record Submit(int task) implements Op {}

  record Claim(int worker, int max, int ttlSeconds) implements Op {}

  record Renew(int worker, int task, int ttlSeconds) implements Op {}

  record Progress(int worker, int task) implements Op {}

  record End(int worker, int task, EndKind kind, int retryInSeconds) implements Op {}

  record Cancel(int task) implements Op {}

  record Retry(int task) implements Op {}

  record Advance(int seconds) implements Op {}

  record Die(int worker) implements Op {}

  record Prune() implements Op {}

  /**
   * The steps the property draws from.
   *
   * @return lists of 1 to 60 steps
   */
  @Provide
  public Arbitrary<List<Op>> taskOps() {
    Arbitrary<Integer> worker = Arbitraries.integers().between(0, WORKERS - 1);
    Arbitrary<Integer> task = Arbitraries.integers().between(0, TASKS - 1);
    Arbitrary<Integer> ttl = Arbitraries.integers().between(1, 4);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        Tuple.of(3, task.map(Submit::new)),
        Tuple.of(4, Combinators.combine(worker, Arbitraries.integers().between(1, 2), ttl)
            .as(Claim::new)),
        Tuple.of(3, Combinators.combine(worker, task, ttl).as(Renew::new)),
        Tuple.of(2, Combinators.combine(worker, task).as(Progress::new)),
        Tuple.of(5, Combinators.combine(worker, task, Arbitraries.of(EndKind.class),
            Arbitraries.integers().between(0, 3)).as(End::new)),
        Tuple.of(1, task.map(Cancel::new)),
        Tuple.of(1, task.map(Retry::new)),
        Tuple.of(4, Arbitraries.integers().between(1, 4).map(Advance::new)),
        Tuple.of(1, worker.map(Die::new)),
        Tuple.of(1, Arbitraries.just(new Prune())));
    return op.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 200)
  void theTaskStoreBehavesLikeTheModel(@ForAll("taskOps") List<Op> ops) {
    ManualTime time = new ManualTime();
    HeartbeatStore heartbeatStore = harness().open(time, 10);
    try {
      new Run(heartbeatStore, time).play(ops);
    } finally {
      heartbeatStore.close();
    }
  }

  /**
   * Plays {@code ops} on a store's tasks against the model, asserting after every step; for tests
   * of the kit itself, which show that a broken store fails it.
   *
   * @param store the store, fresh and empty, whose clock follows {@code time}
   * @param time the test clock
   * @param ops the steps
   */
  public static void play(HeartbeatStore store, ManualTime time, List<Op> ops) {
    new Run(store, time).play(ops);
  }

  /** One run: the store, the model, and what each worker remembers. */
  private static final class Run {
    final HeartbeatStore heartbeatStore;
    final TaskStore store;
    final ManualTime time;
    final TaskModel model = new TaskModel(TASKS);
    final int[] incarnation = new int[WORKERS];
    /** (worker, task) to the last claim the worker was given on the task. */
    final Map<String, ClaimRef> claims = new HashMap<>();

    Run(HeartbeatStore heartbeatStore, ManualTime time) {
      this.heartbeatStore = heartbeatStore;
      this.store = heartbeatStore.tasks().orElseThrow(
          () -> new AssertionError("the store keeps no tasks"));
      this.time = time;
    }

    void play(List<Op> ops) {
      for (Op op : ops) {
        // every step happens a microsecond after the one before, as on a server whose clock
        // moves between calls: steps between clock moves are ordered, never simultaneous
        time.advance(Duration.ofNanos(1000));
        model.now += 1;
        TaskState[] before = states();
        apply(op);
        check(op, before);
      }
    }

    private void apply(Op op) {
      switch (op) {
        case Submit s -> {
          TaskView view = store.submit(Q, spec(s.task()));
          model.submit(s.task());
          assertThat(view.state()).as("%s", s).isEqualTo(model.tasks[s.task()].state);
        }
        case Claim c -> {
          List<TaskClaim> got = store.claim(Q, "w" + c.worker(), "w" + c.worker() + "-"
              + incarnation[c.worker()], c.max(), Duration.ofSeconds(c.ttlSeconds()));
          List<Integer> expected = model.claim(c.worker(), c.max(),
              c.ttlSeconds() * TaskModel.SECOND);
          assertThat(got).extracting(x -> x.task().id()).as("%s", c)
              .containsExactlyElementsOf(expected.stream().map(i -> "t" + i).toList());
          for (TaskClaim claim : got) {
            int i = index(claim.task().id());
            long token = claim.claim().token();
            assertThat(token).as("token of t%d, %s", i, c).isGreaterThan(model.lastIssued[i]);
            model.lastIssued[i] = token;
            model.tasks[i].token = token;
            assertThat(claim.task().attempts().getLast().incarnation())
                .isEqualTo("w" + c.worker() + "-" + incarnation[c.worker()]);
            claims.put(c.worker() + "/" + i, claim.claim());
          }
        }
        case Renew r -> {
          ClaimRef claim = claims.get(r.worker() + "/" + r.task());
          if (claim == null) {
            return;
          }
          boolean held = model.held(r.task(), r.worker(), claim.token());
          Optional<TaskView> before = store.read(Q, "t" + r.task());
          ClaimAnswer answer = store.renewClaims(
              List.of(new ClaimRenewal(claim, Duration.ofSeconds(r.ttlSeconds())))).getFirst();
          assertThat(answer.held()).as("%s", r).isEqualTo(held);
          if (held) {
            model.renew(r.task(), r.ttlSeconds() * TaskModel.SECOND);
            assertThat(answer.cancelRequested()).as("%s", r)
                .isEqualTo(model.tasks[r.task()].cancelRequested);
          } else {
            assertUntouched(r, before);
          }
        }
        case Progress p -> {
          ClaimRef claim = claims.get(p.worker() + "/" + p.task());
          if (claim == null) {
            return;
          }
          boolean held = model.held(p.task(), p.worker(), claim.token());
          Optional<TaskView> before = store.read(Q, "t" + p.task());
          assertThat(store.progress(claim, "step", Optional.of("cp" + claim.token())))
              .as("%s", p).isEqualTo(held);
          if (!held) {
            assertUntouched(p, before);
          }
        }
        case End e -> {
          ClaimRef claim = claims.get(e.worker() + "/" + e.task());
          if (claim == null) {
            return;
          }
          boolean held = model.held(e.task(), e.worker(), claim.token());
          Optional<TaskView> before = store.read(Q, "t" + e.task());
          int failures = model.tasks[e.task()].failures;
          assertThat(store.end(claim, end(e, failures))).as("%s", e).isEqualTo(held);
          if (held) {
            model.end(e.task(), e.kind(), e.retryInSeconds() * TaskModel.SECOND);
          } else {
            assertUntouched(e, before);
          }
        }
        case Cancel c -> assertThat(store.cancel(Q, "t" + c.task()).isPresent()).as("%s", c)
            .isEqualTo(model.cancel(c.task()));
        case Retry r -> assertThat(store.retry(Q, "t" + r.task()).isPresent()).as("%s", r)
            .isEqualTo(model.retry(r.task()));
        case Advance a -> {
          time.advance(Duration.ofSeconds(a.seconds()));
          model.now += a.seconds() * TaskModel.SECOND;
        }
        case Die d -> incarnation[d.worker()]++; // its claims lapse unless a zombie renews them
        case Prune p -> assertThat(store.prune(Q, heartbeatStore.now(), 10)).as("%s", p)
            .isEqualTo(model.prune());
      }
    }

    private void assertUntouched(Op op, Optional<TaskView> before) {
      before.ifPresent(b -> assertThat(store.read(Q, b.id())).as("after fenced-out %s", op)
          .contains(b));
    }

    private static AttemptEnd end(End e, int failures) {
      return switch (e.kind()) {
        case DONE -> TaskEnds.done("out");
        case BLOCK -> TaskEnds.blocked("handler blocked");
        case CANCEL -> TaskEnds.cancelled();
        case RELEASE -> TaskEnds.released();
        case FAIL -> failures + 1 >= TaskModel.MAX_ATTEMPTS
            ? TaskEnds.failedFinally("out of attempts")
            : TaskEnds.failed(Duration.ofSeconds(e.retryInSeconds()));
      };
    }

    private TaskState[] states() {
      TaskState[] states = new TaskState[TASKS];
      for (int i = 0; i < TASKS; i++) {
        states[i] = model.tasks[i].exists ? model.tasks[i].state : null;
      }
      return states;
    }

    private void check(Op op, TaskState[] before) {
      Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
      Set<String> listed = new HashSet<>();
      for (TaskState state : TaskState.values()) {
        for (TaskView v : store.list(Q, state, 10)) {
          assertThat(v.state()).isEqualTo(state);
          assertThat(listed.add(v.id())).as("%s listed in two states after %s", v.id(), op)
              .isTrue();
        }
      }
      for (int i = 0; i < TASKS; i++) {
        TaskModel.Task t = model.tasks[i];
        Optional<TaskView> read = store.read(Q, "t" + i);
        assertThat(read.isPresent()).as("t%d exists after %s", i, op).isEqualTo(t.exists);
        assertThat(listed.contains("t" + i)).as("t%d listed after %s", i, op).isEqualTo(t.exists);
        if (before[i] != null && before[i].isFinal() && t.exists && t.state != before[i]) {
          assertThat(op).as("t%d left %s", i, before[i]).isEqualTo(new Retry(i));
        }
        if (!t.exists) {
          continue;
        }
        counts.merge(t.state, 1L, Long::sum);
        TaskView v = read.get();
        String at = "t" + i + " after " + op;
        assertThat(v.state()).as(at).isEqualTo(t.state);
        assertThat(v.worker()).as(at).isEqualTo(t.worker < 0 ? Optional.empty()
            : Optional.of("w" + t.worker));
        assertThat(v.failures()).as(at).isEqualTo(t.failures).isLessThanOrEqualTo(
            TaskModel.MAX_ATTEMPTS);
        assertThat(v.lost()).as(at).isEqualTo(t.lost).isLessThanOrEqualTo(TaskModel.MAX_LOST);
        assertThat(v.cancelRequested() && v.state() == TaskState.IN_PROGRESS).as(at)
            .isEqualTo(t.cancelRequested && t.state == TaskState.IN_PROGRESS);
        assertThat(v.attempts()).as(at).hasSize(Math.min(t.attempts, TaskView.MAX_ATTEMPTS_KEPT));
        assertThat(v.attempts().stream().filter(a -> a.isRunning()).count()).as(at)
            .isEqualTo(t.state == TaskState.IN_PROGRESS ? 1 : 0);
        assertThat(v.token()).as(at).isLessThanOrEqualTo(model.lastIssued[i]);
        if (t.state == TaskState.IN_PROGRESS) {
          assertThat(v.token()).as(at).isEqualTo(t.token);
          assertOneLiveClaim(i, v, at);
        }
        v.attempts().stream().filter(a -> a.outcome().equals(Optional.of(
            AttemptOutcome.WORKER_LOST))).forEach(a -> assertThat(a.endedAt()).isPresent());
      }
      TaskCounts stored = heartbeatStore.tasks().orElseThrow().counts(Q);
      assertThat(stored).as("counts after %s", op).isEqualTo(new TaskCounts(counts));
    }

    /**
     * Of all the claims the workers remember on task {@code i}, at most one is live by the store
     * (its worker and token those of the task, the claim not expired), and the same as the model's.
     */
    private void assertOneLiveClaim(int i, TaskView v, String at) {
      boolean expired = v.claimExpiredAt(heartbeatStore.now());
      long live = claims.entrySet().stream().filter(e -> e.getKey().endsWith("/" + i))
          .map(Map.Entry::getValue)
          .filter(c -> !expired && v.worker().equals(Optional.of(c.worker()))
              && c.token() == v.token())
          .count();
      long modelLive = claims.entrySet().stream().filter(e -> e.getKey().endsWith("/" + i))
          .filter(e -> model.held(i, Integer.parseInt(e.getKey().split("/")[0]),
              e.getValue().token()))
          .count();
      assertThat(live).as("live claims of %s", at).isLessThanOrEqualTo(1).isEqualTo(modelLive);
    }

    private static int index(String id) {
      return Integer.parseInt(id.substring(1));
    }

    private static TaskSpec spec(int task) {
      return TaskSpec.of("t" + task, "p" + task).maxLost(TaskModel.MAX_LOST)
          .maxAttempts(TaskModel.MAX_ATTEMPTS);
    }
  }
}
