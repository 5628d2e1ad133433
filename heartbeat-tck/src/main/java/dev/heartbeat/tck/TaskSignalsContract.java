package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The signals part of the task contract ({@link TaskSignals}), for a store whose
 * {@link TaskStore#signals()} is present: a store's test class extends it beside
 * {@link TaskContract}. Signals arrive on a store's thread, so the tests wait for them with
 * {@link Await} (a bound on real time, never to see time pass); one listener of another queue,
 * or a second listener of the same queue, marks when a signal that must not come would have.
 */
public abstract class TaskSignalsContract extends StoreContract {
  /** For subclasses: a store's test class extends it. */
  protected TaskSignalsContract() {}

  private static final String Q = "jobs";
  private static final String OTHER = "other-jobs";
  private static final Duration TTL = Duration.ofSeconds(10);

  private TaskStore tasks;

  private TaskStore tasks() {
    if (tasks == null) {
      tasks = open().tasks().orElseThrow(() -> new AssertionError("the store keeps no tasks"));
    }
    return tasks;
  }

  private TaskSignals signals() {
    return tasks().signals()
        .orElseThrow(() -> new AssertionError("the store's tasks have no signals()"));
  }

  /** Counts the signals a listener heard. */
  private static final class Heard implements Runnable {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void run() {
      count.incrementAndGet();
    }

    int get() {
      return count.get();
    }
  }

  private static void await(String what, Heard heard, int atLeast) {
    Await.until(what + " (heard " + heard.get() + ")", () -> heard.get() >= atLeast);
  }

  @Test
  void aSubmitSignalsItsOwnQueueAndNoOther() {
    Heard jobs = new Heard();
    Heard other = new Heard();
    try (TaskSignals.Subscription a = signals().subscribe(Q, jobs);
        TaskSignals.Subscription b = signals().subscribe(OTHER, other)) {
      tasks().submit(OTHER, TaskSpec.of("t1", "{}"));
      await("the other queue's listener hears its submit", other, 1);
      assertThat(jobs.get()).as("signals heard by a listener of another queue").isZero();

      tasks().submit(Q, TaskSpec.of("t2", "{}"));
      await("the queue's listener hears a submit", jobs, 1);
      assertThat(other.get()).as("signals of the other queue").isEqualTo(1);
    }
  }

  @Test
  void anEndBackToInboxAndARetrySignalTheQueue() {
    TaskStore store = tasks();
    store.submit(Q, TaskSpec.of("t", "{}"));
    TaskClaim first = claim(store);
    Heard heard = new Heard();
    try (TaskSignals.Subscription s = signals().subscribe(Q, heard)) {
      assertThat(store.end(first.claim(), TaskEnds.released())).isTrue();
      await("a release back to INBOX signals", heard, 1);

      assertThat(store.end(claim(store).claim(), TaskEnds.failed(Duration.ofSeconds(5))))
          .isTrue();
      await("a failure to be retried later signals", heard, 2);

      time.advance(Duration.ofSeconds(6));
      assertThat(store.end(claim(store).claim(), TaskEnds.blocked("poison"))).isTrue();
      assertThat(store.retry(Q, "t")).isPresent();
      await("a retry of a BLOCKED task signals", heard, 3);
    }
  }

  @Test
  void aClosedSubscriptionHearsNothingMore() {
    Heard closed = new Heard();
    Heard open = new Heard();
    TaskSignals.Subscription gone = signals().subscribe(Q, closed);
    try (TaskSignals.Subscription s = signals().subscribe(Q, open)) {
      gone.close();
      gone.close(); // idempotent
      tasks().submit(Q, TaskSpec.of("t", "{}"));
      await("the open subscription hears the submit", open, 1);
      assertThat(closed.get()).as("signals heard after close").isZero();
    }
  }

  @Test
  void aListenerThatThrowsStopsNeitherOthersNorLaterSignals() {
    Heard heard = new Heard();
    AtomicInteger thrown = new AtomicInteger();
    try (TaskSignals.Subscription bad = signals().subscribe(Q, () -> {
          thrown.incrementAndGet();
          throw new IllegalStateException("a listener's bug");
        });
        TaskSignals.Subscription good = signals().subscribe(Q, heard)) {
      tasks().submit(Q, TaskSpec.of("t1", "{}"));
      tasks().submit(Q, TaskSpec.of("t2", "{}"));
      await("both submits heard beside a throwing listener", heard, 2);
      Await.until("the throwing listener called again", () -> thrown.get() >= 2);
    }
  }

  @Test
  void badArgumentsAreRefusedByName() {
    assertThatThrownBy(() -> signals().subscribe(" ", () -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue");
    assertThatThrownBy(() -> signals().subscribe(Q, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listener");
  }

  @Test
  void theStoreKeepsOneSignalsObject() {
    assertThat(tasks().signals()).containsSame(signals());
  }

  private static TaskClaim claim(TaskStore store) {
    List<TaskClaim> claims = store.claim(Q, "w", "w-1", 1, TTL);
    assertThat(claims).as("claims").hasSize(1);
    return claims.getFirst();
  }
}
