package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimEnd;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;


/**
 * The ends of an attempt in the task part of the contract ({@link TaskStore}): claim renewal,
 * progress and checkpoints, DONE, FAILED, RELEASED and BLOCKED ends, retry, and every way of
 * cancelling; and the fixtures {@link TaskContract} shares. A store's test class extends
 * {@link TaskContract}, which runs these too.
 */
public abstract class TaskEndsContract extends StoreContract {
  /** For subclasses: {@link TaskContract} extends it. */
  protected TaskEndsContract() {}

  static final String Q = "jobs";
  static final Duration TTL = Duration.ofSeconds(10);
  /**
   * How much later than the test clock's moves two calls may be apart on the store's clock: a
   * server's clock moves between calls too (instants of one call are compared exactly).
   */
  static final Duration CALLS_APART = Duration.ofSeconds(1);

  /**
   * The task part of a fresh store on {@link #time}.
   *
   * @return the fresh store's tasks
   */
  protected TaskStore openTasks() {
    opened = open();
    return opened.tasks().orElseThrow(() -> new AssertionError("the store keeps no tasks"));
  }

  private HeartbeatStore opened;

  /** The store's clock, of the store {@link #openTasks} opened last. */
  Instant storeNow() {
    return opened.now();
  }

  static TaskClaim claimOne(TaskStore store, String worker) {
    List<TaskClaim> claims = store.claim(Q, worker, worker + "-1", 1, TTL);
    assertThat(claims).as("claims of %s", worker).hasSize(1);
    return claims.getFirst();
  }

  static TaskView read(TaskStore store, String id) {
    return store.read(Q, id).orElseThrow(() -> new AssertionError("no task " + id));
  }

  @Test
  void renewalExtendsFromTheStoreNowAndAnswersInOrder() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    store.submit(Q, TaskSpec.of("t2", ""));
    List<TaskClaim> claims = store.claim(Q, "w1", "w1-1", 2, TTL);
    time.advance(Duration.ofSeconds(5));
    ClaimRef stale = new ClaimRef(Q, "t1", "w1", claims.get(0).claim().token() + 7);
    List<ClaimAnswer> answers = store.renewClaims(List.of(
        new ClaimRenewal(claims.get(1).claim(), Duration.ofSeconds(20)),
        new ClaimRenewal(stale, TTL),
        new ClaimRenewal(claims.get(0).claim(), TTL)));
    assertThat(answers).hasSize(3);
    assertThat(answers.get(0).held()).isTrue();
    assertThat(answers.get(1)).isEqualTo(ClaimAnswer.LOST);
    assertThat(answers.get(2).held()).isTrue();
    assertThat(answers.get(2).cancelRequested()).isFalse();
    TaskView t1 = read(store, "t1");
    assertThat(t1.claimExpiresAt()).isEqualTo(answers.get(2).expiresAt());
    assertThat(Duration.between(t1.updatedAt(), t1.claimExpiresAt().orElseThrow()))
        .isEqualTo(TTL);
    assertThat(Duration.between(t1.attempts().getLast().startedAt(), t1.updatedAt()))
        .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(5).plus(CALLS_APART));
    time.advance(Duration.ofSeconds(9));
    assertThat(store.claim(Q, "w2", "w2-1", 2, TTL)).as("renewed claims still held").isEmpty();
    assertThat(store.renewClaims(List.of())).isEmpty();
  }

  @Test
  void progressAndTheCheckpointAreKeptForTheNextAttempt() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    ClaimRef claim = claimOne(store, "w1").claim();
    assertThat(store.progress(claim, "10%", Optional.of("page=3"))).isTrue();
    assertThat(store.progress(claim, "20%", Optional.empty())).isTrue();
    TaskView task = read(store, "t1");
    assertThat(task.progress()).contains("20%");
    assertThat(task.checkpoint()).as("empty keeps the last").contains("page=3");
    assertThat(store.end(claim, TaskEnds.failed(Duration.ZERO))).isTrue();
    TaskClaim next = claimOne(store, "w2");
    assertThat(next.task().checkpoint()).contains("page=3");
  }

  @Test
  void anAttemptThatEndsDoneMakesTheTaskDoneWithItsOutput() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    ClaimRef claim = claimOne(store, "w1").claim();
    time.advance(Duration.ofSeconds(2));
    assertThat(store.end(claim, TaskEnds.done("42"))).isTrue();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.DONE);
    assertThat(task.output()).contains("42");
    assertThat(task.worker()).isEmpty();
    assertThat(task.claimExpiresAt()).isEmpty();
    assertThat(task.failures()).isZero();
    Attempt attempt = task.attempts().getLast();
    assertThat(attempt.outcome()).contains(AttemptOutcome.DONE);
    assertThat(Duration.between(attempt.startedAt(), attempt.endedAt().orElseThrow()))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(2).plus(CALLS_APART));
    assertStaysFinal(store, task);
  }

  @Test
  void endAllEndsEachOnItsOwnClaimAndAnswersInTheOrderAsked() {
    TaskStore store = openTasks();
    for (String id : List.of("c", "a", "b")) { // ends asked in an order that is not the ids'
      store.submit(Q, TaskSpec.of(id, ""));
    }
    java.util.Map<String, ClaimRef> claims = new java.util.HashMap<>();
    for (TaskClaim c : store.claim(Q, "w1", "w1-1", 3, TTL)) {
      claims.put(c.task().id(), c.claim());
    }
    assertThat(claims).containsOnlyKeys("a", "b", "c");
    ClaimRef a = claims.get("a");
    ClaimRef notHeld = new ClaimRef(Q, "a", "w2", a.token()); // w2 never claimed it
    List<Boolean> answers = store.endAll(List.of(
        new ClaimEnd(claims.get("c"), TaskEnds.done("3")),
        new ClaimEnd(notHeld, TaskEnds.done("stolen")),
        new ClaimEnd(claims.get("b"), TaskEnds.failed(Duration.ofSeconds(30)))));
    assertThat(answers).as("answers of endAll, in the order of its ends (c, a by w2, b)")
        .containsExactly(true, false, true);
    assertThat(read(store, "c").state()).isEqualTo(TaskState.DONE);
    assertThat(read(store, "c").output()).contains("3");
    TaskView untouched = read(store, "a");
    assertThat(untouched.state()).as("a, whose end was not its holder's")
        .isEqualTo(TaskState.IN_PROGRESS);
    assertThat(untouched.worker()).contains("w1");
    assertThat(untouched.output()).isEmpty();
    TaskView retried = read(store, "b");
    assertThat(retried.state()).isEqualTo(TaskState.INBOX);
    assertThat(retried.failures()).isEqualTo(1);
    assertThat(Duration.between(retried.updatedAt(), retried.dueAt()))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(store.end(a, TaskEnds.done("1"))).as("a by its holder, after the batch").isTrue();
    assertThat(store.endAll(List.of(new ClaimEnd(a, TaskEnds.done("again")))))
        .as("an end of a claim already ended").containsExactly(false);
    assertThat(store.endAll(List.of())).isEmpty();
  }

  @Test
  void aFailedAttemptPutsTheTaskBackDueRetryInAfterTheStoreNow() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    ClaimRef claim = claimOne(store, "w1").claim();
    assertThat(store.end(claim, TaskEnds.failed(Duration.ofSeconds(30)))).isTrue();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.INBOX);
    assertThat(task.failures()).isEqualTo(1);
    assertThat(task.lost()).isZero();
    assertThat(Duration.between(task.updatedAt(), task.dueAt())).isEqualTo(Duration.ofSeconds(30));
    Attempt attempt = task.attempts().getLast();
    assertThat(attempt.outcome()).contains(AttemptOutcome.FAILED);
    assertThat(attempt.errorClass()).contains("java.io.IOException");
    assertThat(attempt.message()).contains("disk full");
    assertThat(attempt.stackTrace()).hasValueSatisfying(s -> assertThat(s).contains("Z.java"));
    time.advance(Duration.ofSeconds(29));
    assertThat(store.claim(Q, "w1", "w1-1", 1, TTL)).as("not due yet").isEmpty();
    time.advance(Duration.ofSeconds(1));
    assertThat(claimOne(store, "w1").task().failures()).isEqualTo(1);
  }

  @Test
  void aReleasedAttemptIsNoFailure() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    assertThat(store.end(claimOne(store, "w1").claim(), TaskEnds.released())).isTrue();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.INBOX);
    assertThat(task.failures()).isZero();
    assertThat(task.attempts().getLast().outcome()).contains(AttemptOutcome.RELEASED);
  }

  @Test
  void aBlockedTaskIsRetriedWithItsCountsResetAndItsHistoryKept() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", "").maxLost(5));
    claimOne(store, "w1");
    time.advance(TTL);
    ClaimRef claim = claimOne(store, "w2").claim();
    assertThat(store.end(claim, TaskEnds.failed(Duration.ZERO))).isTrue();
    claim = claimOne(store, "w2").claim();
    assertThat(store.end(claim, TaskEnds.failedFinally("out of attempts"))).isTrue();
    TaskView blocked = read(store, "t1");
    assertThat(blocked.state()).isEqualTo(TaskState.BLOCKED);
    assertThat(blocked.reason()).contains("out of attempts");
    assertThat(blocked.failures()).isEqualTo(2);
    assertThat(blocked.lost()).isEqualTo(1);
    assertStaysFinal(store, blocked);

    time.advance(Duration.ofSeconds(3));
    TaskView retried = store.retry(Q, "t1").orElseThrow();
    assertThat(retried.state()).isEqualTo(TaskState.INBOX);
    assertThat(retried.failures()).isZero();
    assertThat(retried.lost()).isZero();
    assertThat(retried.dueAt()).isEqualTo(retried.updatedAt());
    assertThat(retried.attempts()).isEqualTo(blocked.attempts());
    assertThat(read(store, "t1")).isEqualTo(retried);
    assertThat(store.retry(Q, "t1")).as("only a BLOCKED task is retried").isEmpty();
    TaskClaim again = claimOne(store, "w3");
    assertThat(again.task().attempts()).extracting(Attempt::number).containsExactly(1, 2, 3, 4);
    assertThat(store.retry(Q, "t1")).isEmpty();
    assertThat(store.retry(Q, "none")).isEmpty();
  }

  @Test
  void aHandlerThatBlocksBlocksTheTask() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    assertThat(store.end(claimOne(store, "w1").claim(), TaskEnds.blocked("bad input"))).isTrue();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.BLOCKED);
    assertThat(task.reason()).contains("bad input");
    assertThat(task.failures()).isZero();
  }

  @Test
  void cancelOfAnInboxTaskIsImmediate() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    TaskView cancelled = store.cancel(Q, "t1").orElseThrow();
    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(cancelled.reason()).isPresent();
    assertThat(read(store, "t1")).isEqualTo(cancelled);
    assertThat(store.claim(Q, "w1", "w1-1", 1, TTL)).isEmpty();
    assertThat(store.cancel(Q, "none")).isEmpty();
    assertStaysFinal(store, cancelled);
  }

  @Test
  void cancelOfARunningTaskIsAnsweredOnRenewal() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    ClaimRef claim = claimOne(store, "w1").claim();
    TaskView requested = store.cancel(Q, "t1").orElseThrow();
    assertThat(requested.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(requested.cancelRequested()).isTrue();
    assertThat(requested.worker()).contains("w1");
    assertThat(store.cancel(Q, "t1")).as("asked twice").get()
        .extracting(TaskView::state).isEqualTo(TaskState.IN_PROGRESS);
    ClaimAnswer answer = store.renewClaims(List.of(new ClaimRenewal(claim, TTL))).getFirst();
    assertThat(answer.held()).isTrue();
    assertThat(answer.cancelRequested()).isTrue();
    assertThat(store.end(claim, TaskEnds.cancelled())).isTrue();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task.attempts().getLast().outcome()).contains(AttemptOutcome.CANCELLED);
    assertStaysFinal(store, task);
  }

  @Test
  void aCancelAskedAfterTheLastRenewalIsNotLostByARetry() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    ClaimRef claim = claimOne(store, "w1").claim();
    store.cancel(Q, "t1");
    assertThat(store.end(claim, TaskEnds.failed(Duration.ZERO))).isTrue();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task.failures()).isEqualTo(1);
    assertThat(task.attempts().getLast().outcome()).contains(AttemptOutcome.FAILED);
  }

  @Test
  void aCancelOfATaskWhoseClaimExpiredIsImmediate() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    ClaimRef claim = claimOne(store, "w1").claim();
    time.advance(TTL);
    TaskView task = store.cancel(Q, "t1").orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task.worker()).isEmpty();
    assertThat(task.lost()).isEqualTo(1);
    assertThat(task.attempts().getLast().outcome()).contains(AttemptOutcome.WORKER_LOST);
    assertThat(store.end(claim, TaskEnds.done("late"))).isFalse();
    assertThat(read(store, "t1")).isEqualTo(task);
  }

  @Test
  void aTaskWhoseCancelWasAskedIsCancelledNotClaimedWhenItsClaimExpires() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    claimOne(store, "w1");
    store.cancel(Q, "t1");
    time.advance(TTL);
    assertThat(store.claim(Q, "w2", "w2-1", 1, TTL)).isEmpty();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task.attempts().getLast().outcome()).contains(AttemptOutcome.WORKER_LOST);
  }

  /** A final task: nothing but retry (of a BLOCKED one) moves it. */
  void assertStaysFinal(TaskStore store, TaskView task) {
    assertThat(store.submit(Q, TaskSpec.of(task.id(), "again"))).isEqualTo(task);
    assertThat(store.cancel(Q, task.id())).isEmpty();
    if (task.state() != TaskState.BLOCKED) {
      assertThat(store.retry(Q, task.id())).isEmpty();
    }
    time.advance(TTL);
    assertThat(store.claim(Q, "w9", "w9-1", 5, TTL)).isEmpty();
    assertThat(read(store, task.id())).isEqualTo(task);
  }

}
