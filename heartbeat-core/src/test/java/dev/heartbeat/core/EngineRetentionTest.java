package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.AgentView;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StallDetector;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Years of uptime: agents that left or died long ago are forgotten, in bounded steps. */
class EngineRetentionTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);
  private final List<Heartbeats> engines = new ArrayList<>();

  /** Counts the forget calls, and how many run at once. */
  static class CountingForgets extends ForwardingStore {
    final AtomicInteger forgets = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();

    CountingForgets(HeartbeatStore store) {
      super(store);
    }

    @Override
    public boolean forget(String agentId) {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        forgets.incrementAndGet();
        return super.forget(agentId);
      } finally {
        running.decrementAndGet();
      }
    }
  }

  private Heartbeats engine(String holder, HeartbeatStore through) {
    Heartbeats hb = Heartbeats.builder().store(through).time(time).holderId(holder)
        .forgetAfter(Duration.ofMinutes(2)).closeTimeout(Duration.ofSeconds(1)).build();
    engines.add(hb);
    return hb;
  }

  @AfterEach
  void close() {
    engines.reversed().forEach(Heartbeats::close);
  }

  /**
   * Moves the clock a second at a time, each once the detector's round ran and its read was
   * answered: a clock that outran the reads (a loaded machine) made the detector blind, which
   * defers convictions and shifts every silence clock, so the agents were never silent for long
   * enough to be forgotten (CI, once in a while).
   */
  private void seconds(DetectorImpl detector, int n) {
    for (int i = 0; i < n; i++) {
      long rounds = detector.rounds();
      time.advance(Duration.ofSeconds(1));
      Await.until("the detector's round after " + time.elapsed(), () -> detector.rounds() > rounds
          && !detector.reading());
    }
  }

  @Test
  void agentsLeftOrDeadForLongerThanForgetAfterAreForgottenEverywhere() {
    FaultyStore link = new FaultyStore(store);
    Heartbeats workers = engine("workers", link);
    Heartbeats watcher = engine("watcher", store);
    StallDetector detector = watcher.detector();
    DetectorImpl impl = ((Engine) watcher).detection().detector();
    HeartbeatAgent leaving = workers.agent("leaving").interval(Duration.ofSeconds(5)).start();
    HeartbeatAgent dying = workers.agent("dying").interval(Duration.ofSeconds(5)).start();
    HeartbeatAgent alive = watcher.agent("alive").interval(Duration.ofSeconds(5)).start();
    Await.until("registered", () -> leaving.diagnostics().beats().succeeded() >= 1
        && dying.diagnostics().beats().succeeded() >= 1
        && alive.diagnostics().beats().succeeded() >= 1);
    seconds(impl, 10);
    leaving.close();
    link.fail(); // "dying" can no longer beat
    seconds(impl, 60);
    assertThat(detector.state("leaving")).contains(AgentState.LEFT);
    assertThat(detector.state("dying")).contains(AgentState.DEAD);
    assertThat(store.agent("leaving")).isPresent();

    seconds(impl, 80); // more than two minutes since their last beats
    Await.until("forgotten in the store", () -> store.agent("leaving").isEmpty()
        && store.agent("dying").isEmpty());
    seconds(impl, 2);
    assertThat(detector.states()).containsOnlyKeys("alive");
    assertThat(watcher.registry().agents()).extracting(AgentView::agentId)
        .containsExactly("alive");
    assertThat(store.history("leaving", 10)).isEmpty();
  }

  /** Holds forgets and the answers of reads while a test says so. */
  static final class HeldCalls extends CountingForgets {
    volatile CountDownLatch forgetHeld;
    volatile CountDownLatch readHeld;
    final AtomicInteger readsHeld = new AtomicInteger();
    final AtomicInteger forgetsEntered = new AtomicInteger();

    HeldCalls(HeartbeatStore store) {
      super(store);
    }

    @Override
    public boolean forget(String agentId) {
      forgetsEntered.incrementAndGet();
      await(forgetHeld);
      return super.forget(agentId);
    }

    @Override
    public List<Heartbeat> agents() {
      List<Heartbeat> read = super.agents(); // read now, answered when let go
      CountDownLatch held = readHeld;
      if (held != null) {
        readsHeld.incrementAndGet();
        await(held);
      }
      return read;
    }

    /** Every read lists every agent, as on a store without a change index, and may be held. */
    @Override
    public dev.heartbeat.spi.AgentChanges agentsChangedSince(
        dev.heartbeat.spi.ChangeCursor cursor) {
      return dev.heartbeat.spi.AgentChanges.all(agents());
    }

    private static void await(CountDownLatch latch) {
      if (latch != null) {
        try {
          latch.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Test
  void aReadSentBeforeAForgetEndedDoesNotBringItsAgentsBackToBeForgottenAgain() {
    for (int i = 0; i < 5; i++) {
      String id = "old-" + i;
      store.register(new Beat(id, "run", 1, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
      store.record(new Beat(id, "run", 2, Optional.empty(), AgentStatus.LEFT,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
    }
    HeldCalls held = new HeldCalls(store);
    held.forgetHeld = new CountDownLatch(1);
    Heartbeats watcher = engine("watcher", held);
    watcher.detector();
    DetectorImpl impl = ((Engine) watcher).detection().detector();
    seconds(impl, 119);
    for (int s = 0; s < 60 && held.forgetsEntered.get() == 0; s++) {
      long rounds = impl.rounds(); // each second's read ended before the next: none skipped
      time.advance(Duration.ofSeconds(1));
      Await.until("a round and its read", () -> impl.rounds() > rounds && !impl.reading()
          || held.forgetsEntered.get() > 0);
    }
    Await.until("a forget on its way", () -> held.forgetsEntered.get() == 1);
    held.readHeld = new CountDownLatch(1);
    for (int s = 0; s < 10 && held.readsHeld.get() == 0; s++) {
      long rounds = impl.rounds();
      time.advance(Duration.ofSeconds(1));
      Await.until("a round", () -> impl.rounds() > rounds);
    }
    Await.until("a read sent while the forget runs", () -> held.readsHeld.get() == 1);
    held.forgetHeld.countDown(); // the forget ends, then the read that listed them is answered
    Await.until("forgotten", () -> store.agents().isEmpty() && impl.states().isEmpty());
    held.readHeld.countDown();
    held.readHeld = null;
    Await.until("the late read applied", () -> !impl.reading());
    seconds(impl, 5);
    assertThat(impl.states()).as("not brought back").isEmpty();
    assertThat(held.forgets.get()).as("each forgotten once").isEqualTo(5);
  }

  @Test
  void manyAreForgottenAFewAtATimeOneCallAtATime() {
    for (int i = 0; i < 250; i++) {
      String id = String.format("old-%03d", i);
      store.register(new Beat(id, "run", 1, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
      store.record(new Beat(id, "run", 2, Optional.empty(), AgentStatus.LEFT,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
    }
    CountingForgets counting = new CountingForgets(store);
    Heartbeats watcher = engine("watcher", counting);
    watcher.detector();
    DetectorImpl impl = ((Engine) watcher).detection().detector();
    seconds(impl, 119);
    assertThat(counting.forgets.get()).as("not yet").isZero();
    // a bound, not a figure: one forget call per read once the previous one returned, so a
    // loaded machine may need more reads than the three calls
    for (int i = 0; i < 600 && !store.agents().isEmpty(); i++) {
      long rounds = impl.rounds(); // one call of at most 100 per read, once the last one returned
      time.advance(Duration.ofSeconds(1));
      // the read this round sent has ended, answered or failed (a read may fail on a loaded
      // machine; the next second sends another): the outcome is judged after the loop
      Await.until("the detector's round after " + time.elapsed(),
          () -> impl.rounds() > rounds && !impl.reading());
    }
    Await.until("all forgotten", () -> store.agents().isEmpty());
    assertThat(counting.forgets.get()).isEqualTo(250);
    assertThat(counting.mostAtOnce.get()).as("one call at a time").isEqualTo(1);
    assertThat(impl.forgetCalls()).as("at most 100 per call")
        .isGreaterThanOrEqualTo(3);
    seconds(impl, 2);
    assertThat(impl.states()).isEmpty();
  }
}
